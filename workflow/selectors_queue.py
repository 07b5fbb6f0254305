"""The staff queue's reads: which open tasks a user sees in each tab, the search and
filters (page, exports and API alike), the counts per tab and the header's overdue badge.

Every query starts from the open tasks of the units where the user works (staff or
supervisor), so nothing here can reach another unit's work.
"""

import re
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from organization.models import StaffMembership
from organization.selectors import unit_ids_for_user
from services_catalog.models import Step

from .models import Channel, Task
from .numbers import key_of
from .roles import WORKER_ROLES, step_group_q

# mine: assigned to me; queue: unassigned tasks I may take; all: both, plus every open
# task of the units I supervise (who holds what).
SCOPES = ("mine", "queue", "all")
SORTS = {
    "due": ("due_date", "created_at", "pk"),
    "-due": ("-due_date", "-created_at", "-pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
}
MAX_QUERY = 100
_NIK_PREFIX = re.compile(r"^\d{6,16}$")


@dataclass(frozen=True)
class QueueFilters:
    """What the queue is narrowed to. Unknown or malformed values mean "no filter"."""

    q: str = ""
    service: str = ""
    step: int | None = None
    overdue: bool = False
    mine: bool = False
    channel: str = ""
    sort: str = "due"

    @classmethod
    def from_query(cls, params) -> "QueueFilters":
        """From a query string (page or API): `q`, `service`, `step`, `overdue`, `mine`,
        `channel`, `sort`."""

        def flag(name):
            return str(params.get(name, "")).lower() in ("true", "1", "yes", "on")

        step = str(params.get("step") or "").strip()
        channel = params.get("channel") or ""
        sort = params.get("sort") or "due"
        return cls(
            q=" ".join(str(params.get("q") or "").split())[:MAX_QUERY],
            service=str(params.get("service") or "")[:60],
            step=int(step) if step.isdigit() and len(step) < 4 else None,
            overdue=flag("overdue"),
            mine=flag("mine"),
            channel=channel if channel in Channel.values else "",
            sort=sort if sort in SORTS else "due",
        )

    @property
    def active(self) -> bool:
        return any((self.q, self.service, self.step, self.overdue, self.mine, self.channel))


def search_q(text: str) -> Q:
    """`?q=` (CONTRACT.md section 7): a registration number (typed in any case, with or
    without separators, a part of it will do), the applicant's name (any part, any case)
    or the NIK (the whole NIK or its first digits, at least six)."""
    text = text.strip()
    if not text:
        return Q()
    match = Q(request__applicant_name__icontains=text)
    key = key_of(text)
    if len(key) >= 3:
        match |= Q(request__registration_key__contains=key)
    digits = re.sub(r"[\s.\-]", "", text)
    if _NIK_PREFIX.match(digits):
        match |= Q(request__applicant_nik__startswith=digits)
    return match


def overdue_q() -> Q:
    return Q(overdue=True) | Q(due_date__lt=timezone.localdate())


def _unit_ids(user, roles):
    """The user's units in `roles`, as a subquery (no query of its own)."""
    return StaffMembership.objects.filter(user=user, role__in=roles).values("unit_id")


def routed_to_q(user, on=None) -> Q:
    """Tasks of steps routed to `user` in person (internal services): the applicant's
    superior position that `user` acts for on `on` (PLT/PLH rule), or the user's own
    applicant steps. A filter only (subqueries): no query of its own."""
    from organization.selectors import positions_acted_for_q

    acted = positions_acted_for_q(user=user, on=on or timezone.localdate())
    superior = Q(step__route=Step.Route.SUPERIOR) & acted & ~Q(request__applicant_user=user)
    return superior | Q(step__route=Step.Route.APPLICANT, request__applicant_user=user)


def _unit_route_q(user) -> Q:
    return Q(unit_id__in=_unit_ids(user, WORKER_ROLES), step__route=Step.Route.UNIT)


def _open_tasks_of_my_units(user):
    """Open tasks of the user's units, and those routed to the user in person."""
    return Task.objects.filter(status=Task.Status.OPEN).filter(
        _unit_route_q(user) | routed_to_q(user)
    )


def _scope_qs(user) -> dict[str, Q]:
    """Each tab as a condition on the open tasks of the user's units. A task routed to
    the user in person is theirs without claiming (mine), never in a unit's queue."""
    supervised = _unit_ids(user, [StaffMembership.Role.SUPERVISOR])
    unit_task = Q(step__route=Step.Route.UNIT)
    routed = routed_to_q(user)
    mine = (unit_task & Q(assigned_to=user)) | routed
    queue = (
        unit_task & Q(assigned_to__isnull=True) & step_group_q(user, supervised_unit_ids=supervised)
    )
    return {
        "mine": mine,
        "queue": queue,
        "all": mine | queue | (unit_task & Q(unit_id__in=supervised)),
    }


def _filtered(qs, filters: QueueFilters, user):
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    if filters.service:
        qs = qs.filter(request__service__code=filters.service)
    if filters.step is not None:
        qs = qs.filter(step__order=filters.step)
    if filters.overdue:
        qs = qs.filter(overdue_q())
    if filters.mine:
        qs = qs.filter(assigned_to=user)
    if filters.channel:
        qs = qs.filter(request__channel=filters.channel)
    return qs


def queue_tasks(user, scope: str = "queue", filters: QueueFilters | None = None):
    """The tab `scope` of the user's queue, searched, filtered and sorted (by due date
    unless asked otherwise). Loads only what a row shows."""
    filters = filters or QueueFilters()
    qs = _open_tasks_of_my_units(user).filter(_scope_qs(user)[scope])
    qs = _filtered(qs, filters, user)
    return (
        qs.select_related("request__service", "step", "unit", "assigned_to")
        .order_by(*SORTS[filters.sort])
        .only(*TASK_LIST_FIELDS)
    )


def queue_counts(user, filters: QueueFilters | None = None) -> dict[str, int]:
    """How many tasks each tab holds with the same search and filters: one query."""
    qs = _filtered(_open_tasks_of_my_units(user), filters or QueueFilters(), user)
    scopes = _scope_qs(user)
    return qs.aggregate(**{name: Count("pk", filter=cond) for name, cond in scopes.items()})


def overdue_count(user) -> int:
    """The header's badge: overdue tasks in the user's "all" tab, in one query."""
    if not user or not user.is_authenticated:
        return 0
    return _open_tasks_of_my_units(user).filter(_scope_qs(user)["all"], overdue_q()).count()


def tasks_for_user(
    user, scope: str = "queue", *, service: str | None = None, step=None, overdue=None
):
    """The queue tab with the API's original keyword filters."""
    return queue_tasks(
        user,
        scope,
        QueueFilters.from_query(
            {"service": service or "", "step": step or "", "overdue": "true" if overdue else ""}
        ),
    )


# What a queue row shows (page, exports, API). A page of 50 rows otherwise loads every
# request's form data it never shows.
TASK_LIST_FIELDS = (
    "id",
    "request",
    "step",
    "unit",
    "status",
    "assigned_to",
    "created_at",
    "due_date",
    "overdue",
    "request__registration_number",
    "request__status",
    "request__channel",
    "request__applicant_name",
    "request__service",
    "request__service__code",
    "request__service__name",
    "request__service__unit",
    "step__order",
    "step__name",
    "step__unit",
    "step__group",
    "unit__name",
    "unit__office",
    "assigned_to__username",
)


def tasks_by_ids_for_user(user, task_ids) -> list[Task]:
    """The tasks among `task_ids` that belong to the user's units (any status), in the
    order asked; others are left out, as an unknown id would be."""
    unit_ids = unit_ids_for_user(user, roles=WORKER_ROLES)
    found = Task.objects.select_related("request", "step", "unit", "assigned_to").in_bulk(
        [i for i in task_ids if i is not None]
    )
    return [found[i] for i in task_ids if i in found and found[i].unit_id in unit_ids]
