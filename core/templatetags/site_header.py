"""`{% site_header %}`: the layout's header, rendered once per process for the same values.

The header (navigation, language form, last login, logout) was a tenth of a staff page's
CPU (profiled, bench stack) and differs between answers only in the values below. It is
rendered from those values alone (no request, no context processors, so it cannot show
anything it is not keyed on) and kept per process under them, the active language, time
zone and URL prefix; the page's CSRF token is put in afterwards. Without a request or a
CSRF token in the context (a template rendered on its own) it is rendered as before.
tests/core/test_site_header.py holds both renderings equal.
"""

import functools
from typing import NamedTuple

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

register = template.Library()

TEMPLATE = "_site_header.html"
_CSRF_MARK = "alursiteheadertoken"  # where the page's CSRF token goes
# Where the page's path goes (the language form's `next`): put in afterwards like the
# token, so a public page with a path of its own (each /cek-status/<n>/) is not a new
# rendering and a new entry each time (the bench's status-page misses paid both).
_PATH_MARK = "alursiteheaderpath"


class _Viewer(NamedTuple):
    is_authenticated: bool
    username: str

    def get_username(self):
        return self.username


class _Here(NamedTuple):
    path: str

    def get_full_path(self):
        return self.path


@functools.lru_cache(maxsize=2048)
def _rendered(language, zone, prefix, viewer, here, values) -> str:
    # (the active language, time zone and prefix are the caller's: the key holds them)
    context = {
        "LANGUAGE_CODE": language,
        "user": viewer,
        "request": here,
        "csrf_token": _CSRF_MARK,
        **dict(values),
    }
    return render_to_string(TEMPLATE, context).removesuffix("\n")


def _flag(value) -> str:
    """A header value as the template prints it ("" when it shows nothing)."""
    return str(value) if value else ""


@register.simple_tag(takes_context=True)
def site_header(context) -> SafeString:
    request, token = context.get("request"), context.get("csrf_token")
    user = context.get("user")
    if request is None or token is None or user is None:
        return mark_safe(render_to_string(TEMPLATE, context.flatten()).removesuffix("\n"))  # noqa: S308 - our template's output
    signed_in = bool(user.is_authenticated)
    values = ()
    if signed_in:  # what the header shows of a signed-in user (read only for them)
        values = (
            ("staff_overdue", _flag(context.get("staff_overdue"))),
            ("may_see_dashboard", bool(context.get("may_see_dashboard"))),
            ("is_clerk", bool(context.get("is_clerk"))),
            ("login_recorded", bool(context.get("login_recorded"))),
            ("previous_login", context.get("previous_login")),
        )
    html = _rendered(
        get_language(),
        get_current_timezone_name(),
        get_script_prefix(),
        _Viewer(signed_in, user.get_username() if signed_in else ""),
        _Here(_PATH_MARK),
        values,
    )
    html = html.replace(_PATH_MARK, escape(request.get_full_path()))
    return mark_safe(html.replace(_CSRF_MARK, escape(str(token))))  # noqa: S308 - rendered, escaped
