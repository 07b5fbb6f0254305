"""Parts of the staff queue page rendered once per process for the same inputs.

The page's template was half of its CPU (profiled): the filter form (some forty tags)
and, on a full tab, fifty rows of some thirty tags each. A fragment is rendered from the
values it is given and nothing else (no request, no context processors, so it cannot
show anything it was not keyed on) and kept per process under those values, the active
language and the URL prefix: the same answer for the same key, nothing to invalidate.
"""

import functools
from typing import NamedTuple

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

CSRF_MARK = "<!--csrf-->"  # where a row's forms take the page's CSRF token


@functools.lru_cache(maxsize=4096)
def _rendered(template_name: str, language, prefix: str, values: tuple) -> SafeString:
    # (the active language and prefix are the caller's: the key holds them)
    html = render_to_string(template_name, dict(values)).removesuffix("\n")
    return mark_safe(html)  # noqa: S308 - our template's output


def fragment(template_name: str, **values) -> SafeString:
    """`template_name` rendered with `values` alone (hashable), kept per process per
    language and URL prefix. A fragment file's last newline is not part of it."""
    return _rendered(template_name, get_language(), get_script_prefix(), tuple(values.items()))


class Row(NamedTuple):
    """What a queue row shows (selectors_queue.QueueRow and the page's own fields)."""

    id: int
    number: str
    channel: str
    service_name: str
    applicant_name: str
    step_order: int
    step_name: str
    due_date: object
    is_overdue: bool
    assignee: str | None
    assigned_to_id: int | None
    can_assign: bool
    assignees: tuple

    @classmethod
    def of(cls, task) -> "Row":
        return cls(
            *(getattr(task, name) for name in cls._fields[:-1]), assignees=tuple(task.assignees)
        )


def queue_rows(request, tasks) -> SafeString:
    """The table's rows, as the page's `{% for %}` over `tasks` gave them (each row keyed
    on its values, the viewer and the page's own address), with the page's CSRF token."""
    if not tasks:
        return mark_safe("")
    csrf = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )
    user_pk, here = request.user.pk, request.get_full_path()
    rows = [
        fragment("workflow/_queue_row.html", task=Row.of(t), user_pk=user_pk, next=here)
        for t in tasks
    ]
    html = "".join(f"\n{row}\n  " for row in rows).replace(CSRF_MARK, csrf)
    return mark_safe(html)  # noqa: S308 - rendered rows, an escaped input
