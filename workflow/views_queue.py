"""The staff queue /staf/: tabs, search, filters, pages, bulk actions and exports. Thin:
parse the query with `QueueFilters`, read with `selectors_queue`, act with the services."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from config.exceptions import ApplicationError, error_messages

from . import exports, fragments, roles, selectors, services
from .catalogue_copy import services_in_units
from .context_processors import remember_overdue
from .models import Channel
from .selectors_queue import (
    SCOPES,
    QueueFilters,
    QueueReach,
    overdue_count,
    queue_counts,
    queue_tasks,
    tab_page,
    tasks_by_ids_for_user,
)

PAGE_SIZE = 50


class _CountedPaginator(Paginator):
    """Pages of a tab whose size was just counted with the other tabs (same filters):
    no second COUNT over the tab."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def _scope(request) -> str:
    scope = request.GET.get("scope", "mine")
    return scope if scope in SCOPES else "mine"


def _scope_label(scope) -> str:
    return {"mine": _("My tasks"), "queue": _("Unit queue"), "all": _("All in my units")}[scope]


@require_GET
@login_required
def task_list(request):
    scope = _scope(request)
    filters = QueueFilters.from_query(request.GET)
    # units, groups, positions and the header's links: read once (the links' context
    # processors read them from the request: no queries of their own)
    reach = request.queue_reach = QueueReach.of(request.user, links=True)
    counts = queue_counts(request.user, filters, reach=reach)
    page = _CountedPaginator(
        tab_page(request.user, scope, filters, reach=reach, count=counts[scope]),
        PAGE_SIZE,
        count=counts[scope],
    ).get_page(request.GET.get("page"))
    tasks = page.object_list
    unit_ids, supervised = set(reach.units), set(reach.supervised)
    for task in tasks:
        task.can_assign = task.unit_id in supervised
    # The people `task_assign` accepts for each task (unit and step staff group).
    assignees = roles.eligible_assignees(
        (t.unit_id, t.step_group_id) for t in tasks if t.can_assign
    )
    bulk_assignees = set()
    for task in tasks:
        people = assignees.get((task.unit_id, task.step_group_id), [])
        task.assignees = [user.get_username() for user in people]
        bulk_assignees.update(task.assignees)
    # The header's badge, fresh on the queue itself (counted with the tabs when unfiltered).
    badge = counts["overdue"] if "overdue" in counts else overdue_count(request.user, reach=reach)
    remember_overdue(request.user, badge)
    return render(
        request,
        "workflow/task_list.html",
        {
            "scope": scope,
            "scope_label": _scope_label(scope),
            "tabs": [(s, _scope_label(s), counts[s]) for s in SCOPES],
            "tasks": tasks,
            "page": page,
            "notices": _notices(request.user, supervised),
            "filter_form": fragments.fragment(
                "workflow/_queue_filters.html",
                scope=scope,
                filters=filters,
                services=services_in_units(unit_ids),
                channels=tuple((value, str(label)) for value, label in Channel.choices),
            ),
            "rows_html": fragments.queue_rows(request, tasks),
            "filters": filters,
            "is_staff_member": bool(unit_ids) or bool(tasks),  # routed tasks count too
            "is_supervisor": bool(supervised),
            "bulk_assignees": sorted(bulk_assignees),
            "staff_overdue": badge,  # the header's, as just counted (no cache read)
        },
    )


def _notices(user, supervised) -> list:
    """The supervisor's overdue notices (none to read for anyone else: an empty queryset
    still cost a millisecond of ORM work per page, profiled)."""
    if not supervised:
        return []
    return list(selectors.overdue_notices_for(user, unit_ids=supervised)[:50])


def _task_ids(request) -> list[int]:
    ids = []
    for value in request.POST.getlist("task"):
        if value.isdigit() and len(value) < 12:
            ids.append(int(value))
    return list(dict.fromkeys(ids))


def _safe_next(request) -> str:
    target = request.POST.get("next") or ""
    return target if target.startswith("/staf/") and "//" not in target else "/staf/"


@require_POST
@login_required
def task_bulk(request):
    """Claim, or (supervisors) assign, the ticked tasks; each through its own service
    call, so each task's rules are checked and one refusal leaves the others done."""
    back = redirect(_safe_next(request))
    tasks = tasks_by_ids_for_user(request.user, _task_ids(request))
    if not tasks:
        messages.error(request, _("Tick at least one task first."))
        return back
    action = request.POST.get("action")
    assignee = None
    try:
        if action == "claim":
            done, refused = services.tasks_claim(tasks=tasks, user=request.user)
            success = ngettext("You took %(n)d task.", "You took %(n)d tasks.", len(done))
        elif action == "assign":
            username = request.POST.get("user", "")
            assignee = get_user_model().objects.filter(username=username).first()
            done, refused = services.tasks_assign(tasks=tasks, assignee=assignee, user=request.user)
            success = ngettext(
                "%(n)d task was assigned to %(user)s.",
                "%(n)d tasks were assigned to %(user)s.",
                len(done),
            )
        else:
            messages.error(request, _("Choose an action."))
            return back
    except ApplicationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return back
    if done:
        holder = assignee.get_username() if action == "assign" else ""
        messages.success(request, success % {"n": len(done), "user": holder})
    for task, why in refused:
        messages.error(request, f"{task.request.registration_number}: {why}")
    return back


@require_GET
@login_required
def queue_export(request, fmt):
    scope = _scope(request)
    tasks = queue_tasks(request.user, scope, QueueFilters.from_query(request.GET))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"antrean-{scope}-{stamp}"
    if fmt == "csv":
        response = HttpResponse(exports.queue_csv(tasks), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(
            exports.queue_xlsx(tasks, title=_scope_label(scope)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
