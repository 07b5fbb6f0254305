"""The staff queue's reads: which open tasks a user sees in each tab, the search and
filters (page, exports and API alike), the counts per tab and the header's overdue badge.

Every query starts from the open tasks of the units where the user works (staff or
supervisor), so nothing here can reach another unit's work.
"""

import datetime
import functools
import operator
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, router
from django.db.models import Count, Q
from django.utils import timezone

from organization.models import StaffMembership
from organization.selectors import unit_ids_for_user
from services_catalog.models import Step

from .models import Channel, Task
from .numbers import key_of
from .roles import WORKER_ROLES, step_group_q, steps_barred_by_group

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


def _routed_q(*, superior_step: Q, applicant_step: Q, acted_for: Q, own_request: Q) -> Q:
    """The one shape of "routed to the user in person" (internal services): steps of the
    applicant's superior position the user acts for, never on their own request, and the
    user's own applicant steps."""
    return (superior_step & acted_for & ~own_request) | (applicant_step & own_request)


def routed_to_q(user, on=None) -> Q:
    """Tasks (any status) of steps routed to `user` in person on `on` (the PLT/PLH
    rule, today by default). A filter only (subqueries): no query of its own."""
    from organization.selectors import positions_acted_for_q

    return _routed_q(
        superior_step=Q(step__route=Step.Route.SUPERIOR),
        applicant_step=Q(step__route=Step.Route.APPLICANT),
        acted_for=positions_acted_for_q(user=user, on=on or timezone.localdate()),
        own_request=Q(request__applicant_user=user),
    )


def _reach_query(user_id: int, on):
    """`QueueReach`'s one query: every list an ARRAY column of one row."""
    from organization.selectors import positions_acted_for_subqueries

    acting, held = positions_acted_for_subqueries(user=user_id, on=on)
    own = Task.objects.filter(status=Task.Status.OPEN, request__applicant_user=user_id)
    routed_steps = Step.objects.exclude(route=Step.Route.UNIT)
    columns = {
        "units": _unit_ids(user_id, WORKER_ROLES),
        "supervised": _unit_ids(user_id, [StaffMembership.Role.SUPERVISOR]),
        "acting": acting,
        "held": held,
        "own_requests": own.values("request_id"),
        "superior_steps": routed_steps.filter(route=Step.Route.SUPERIOR).values("pk"),
        "applicant_steps": routed_steps.filter(route=Step.Route.APPLICANT).values("pk"),
        "barred_steps": steps_barred_by_group(user_id),
    }
    return (
        get_user_model()
        .objects.filter(pk=user_id)
        .values(**{name: ArraySubquery(values) for name, values in columns.items()})[:1]
    )


_REACH_COLUMNS = (
    "units",
    "supervised",
    "acting",
    "held",
    "own_requests",
    "superior_steps",
    "applicant_steps",
    "barred_steps",
)
# Compiled by the ORM once per process and database (building its eight subqueries was
# a third of a queue answer's CPU, profiled on the bench stack); only the user and the
# day change, and they are put in place of these stand-ins.
_REACH_USER, _REACH_DAY = -917_351_113, datetime.date(1901, 2, 3)
_reach_compiled: dict[str, tuple[str, tuple]] = {}


def _stand_in(param) -> bool:
    return type(param) in (int, datetime.date)


def _reach_sql(alias: str) -> tuple[str, tuple]:
    if alias not in _reach_compiled:
        query = _reach_query(_REACH_USER, _REACH_DAY).query
        sql, params = query.get_compiler(using=alias).as_sql()
        stand_ins = [p for p in params if _stand_in(p)]
        if set(stand_ins) != {_REACH_USER, _REACH_DAY}:  # a constant would be swapped too
            raise RuntimeError(f"unexpected parameters in the queue's reach query: {stand_ins}")
        _reach_compiled[alias] = (sql, tuple(params))
    return _reach_compiled[alias]


_NOTHING = Q(pk__in=[])


def _any(*conditions: Q) -> Q:
    """Any of `conditions` (those that can match: an empty id list leaves no clause)."""
    some = [c for c in conditions if c is not _NOTHING]
    return functools.reduce(operator.or_, some) if some else _NOTHING


def _in(field: str, ids) -> Q:
    return Q(**{f"{field}__in": ids}) if ids else _NOTHING


@dataclass(frozen=True)
class QueueReach:
    """Who the user is to the queue, read in one small query per request: the units
    where they work (and supervise), the positions they act for today (PLT/PLH rule),
    their own requests with an open task, the steps routed in person (internal
    services) and the steps their staff groups bar them from. Every tab is then a
    condition on the task's own columns and plain id lists: PostgreSQL reads the
    candidates by index and joins nothing to filter them (the OR over joined step and
    request columns scanned every open task and every request), and the ORM builds no
    subquery per condition."""

    user_id: int | None
    units: tuple[int, ...] = ()
    supervised: tuple[int, ...] = ()
    positions: tuple[int, ...] = ()
    own_requests: tuple[int, ...] = ()
    superior_steps: tuple[int, ...] = ()
    applicant_steps: tuple[int, ...] = ()
    barred_steps: tuple[int, ...] = ()

    @classmethod
    def of(cls, user, on=None) -> "QueueReach":
        if not user or not user.is_authenticated:
            return cls(user_id=None)
        alias = router.db_for_read(Task)
        sql, params = _reach_sql(alias)
        day = on or timezone.localdate()
        values = {_REACH_USER: user.pk, _REACH_DAY: day}
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [values.get(p, p) if _stand_in(p) else p for p in params])
            row = dict(zip(_REACH_COLUMNS, cursor.fetchone() or (), strict=False))

        def ids(*names):
            return tuple(sorted({i for name in names for i in row.get(name) or ()}))

        return cls(
            user_id=user.pk,
            units=ids("units"),
            supervised=ids("supervised"),
            positions=ids("acting", "held"),
            own_requests=ids("own_requests"),
            superior_steps=ids("superior_steps"),
            applicant_steps=ids("applicant_steps"),
            barred_steps=ids("barred_steps"),
        )

    @property
    def unit_task(self) -> Q:
        """Of my units, at a step worked by the unit's staff (not routed in person)."""
        routed_steps = self.superior_steps + self.applicant_steps
        mine = _in("unit_id", self.units)
        return mine & ~Q(step_id__in=routed_steps) if routed_steps and self.units else mine

    @property
    def routed(self) -> Q:
        if not (self.positions and self.superior_steps) and not (
            self.own_requests and self.applicant_steps
        ):
            return _NOTHING
        superior = _in("step_id", self.superior_steps)
        applicant = _in("step_id", self.applicant_steps)
        return _routed_q(
            superior_step=superior,
            applicant_step=applicant,
            acted_for=_in("position_id", self.positions),
            own_request=_in("request_id", self.own_requests),
        )

    def index_q(self, scope: str | None = None) -> Q:
        """Open tasks the tab (every tab: None) can hold, by the task's indexed columns
        only, each branch with its own "open" so that it reads its index (unit, open by
        position, open by request) and nothing else: mine by assignee, queue unclaimed."""
        open_ = Q(status=Task.Status.OPEN)

        def indexed(field, ids, *more):
            return _in(field, ids) & open_ & Q(*more) if ids else _NOTHING

        units = indexed("unit_id", self.units)
        routed = (indexed("position_id", self.positions), indexed("request_id", self.own_requests))
        if scope == "mine":
            return _any(indexed("unit_id", self.units, Q(assigned_to_id=self.user_id)), *routed)
        if scope == "queue":
            return indexed("unit_id", self.units, Q(assigned_to__isnull=True))
        return _any(units, *routed)

    def tabs(self) -> dict[str, Q]:
        """Each tab as a condition on the open tasks of the user's units. A task routed
        to the user in person is theirs without claiming (mine), never in a unit's
        queue."""
        unit_task = self.unit_task
        mine = _any(unit_task & Q(assigned_to_id=self.user_id), self.routed)
        may_take = step_group_q(
            barred_step_ids=self.barred_steps, supervised_unit_ids=self.supervised
        )
        queue = unit_task & Q(assigned_to__isnull=True) & may_take
        supervised = unit_task & _in("unit_id", self.supervised)
        return {"mine": mine, "queue": queue, "all": _any(mine, queue, supervised)}

    def open_tasks(self, scope: str | None = None):
        """Open tasks of the user's units and those routed to them in person (of the tab
        `scope`, else of every tab)."""
        where = _any(self.unit_task, self.routed)
        if self.user_id is None or where is _NOTHING:
            return Task.objects.none()
        qs = Task.objects.filter(self.index_q(scope), where, status=Task.Status.OPEN)
        return qs.filter(self.tabs()[scope]) if scope else qs


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


def queue_tasks(user, scope: str = "queue", filters: QueueFilters | None = None, *, reach=None):
    """The tab `scope` of the user's queue, searched, filtered and sorted (by due date
    unless asked otherwise). Loads only what a row shows."""
    filters = filters or QueueFilters()
    reach = reach or QueueReach.of(user)
    qs = _filtered(reach.open_tasks(scope), filters, user)
    return (
        qs.select_related("request__service", "step", "unit", "assigned_to")
        .order_by(*SORTS[filters.sort])
        .only(*TASK_LIST_FIELDS)
    )


class SortedFirst:
    """A tab's tasks for a paginator: a page is chosen on the task table alone (filtered,
    sorted, cut), then only its rows are loaded with what a row shows. PostgreSQL
    otherwise joined every candidate task to its request, service and step before
    sorting them (EXPLAIN ANALYZE, bench data: 10,000 joins for a page of 50)."""

    ordered = True

    def __init__(self, tasks):
        self.tasks = tasks

    def count(self) -> int:
        return self.tasks.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("SortedFirst is read a page (a slice) at a time")
        page = self.tasks.values("pk")[index]
        return list(self.tasks.filter(pk__in=page))


def queue_counts(user, filters: QueueFilters | None = None, *, reach=None) -> dict[str, int]:
    """How many tasks each tab holds with the same search and filters, in one query.
    Without a filter it also counts the header's badge (`overdue`, see `overdue_count`)."""
    filters = filters or QueueFilters()
    reach = reach or QueueReach.of(user)
    tabs = reach.tabs()
    counts = {name: Count("pk", filter=cond) for name, cond in tabs.items()}
    if not filters.active:
        counts["overdue"] = Count("pk", filter=tabs["all"] & overdue_q())
    return _filtered(reach.open_tasks(), filters, user).aggregate(**counts)


def overdue_count(user, *, reach=None) -> int:
    """The header's badge: overdue tasks in the user's "all" tab."""
    if not user or not user.is_authenticated:
        return 0
    return (reach or QueueReach.of(user)).open_tasks("all").filter(overdue_q()).count()


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
