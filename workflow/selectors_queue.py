"""The staff queue's reads: a tab's tasks (searched, filtered, sorted) for the page, the
exports and the API, a page of its rows, the counts per tab and the header's overdue
badge. Who sees which open tasks is `queue_reach.QueueReach`, so nothing here can reach
another unit's work; the counts of the user's units are kept by `queue_cache`.
"""

import datetime
import functools
import re
from dataclasses import dataclass, field

from django.db import connections, router
from django.db.models import Count, Q
from django.utils import timezone

from config import prepared
from organization.selectors import unit_ids_for_user

from . import queue_cache
from .models import Channel, Task
from .numbers import key_of
from .queue_reach import NOTHING, SCOPES, QueueReach, routed_to_q  # noqa: F401
from .roles import WORKER_ROLES

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
    """Overdue, as a filter on open tasks: marked so, or past the due date (from the
    morning after it, before the overdue job has run)."""
    return Q(overdue=True) | Q(due_date__lt=timezone.localdate())


def task_is_overdue(task, today=None) -> bool:
    """`overdue_q` for one task (or queue row)."""
    return task.status == Task.Status.OPEN and _late(task.overdue, task.due_date, today)


def _late(overdue: bool, due_date, today=None) -> bool:
    """`overdue_q` for an open task's two columns."""
    return overdue or due_date < (today or timezone.localdate())


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


# A row of the queue as the page and the API show it, read as plain values.
ROW_FIELDS = (
    "id",
    "unit_id",
    "assigned_to_id",
    "created_at",
    "due_date",
    "overdue",
    "request__registration_number",
    "request__channel",
    "request__applicant_name",
    "request__service__code",
    "request__service__name",
    "step__order",
    "step__name",
    "step__group_id",
    "assigned_to__username",
)


@dataclass(slots=True)
class QueueRow:
    """One open task as a queue row (ROW_FIELDS, in order)."""

    id: int
    unit_id: int
    assigned_to_id: int | None
    created_at: datetime.datetime
    due_date: datetime.date
    overdue: bool
    number: str
    channel: str
    applicant_name: str
    service_code: str
    service_name: str
    step_order: int
    step_name: str
    step_group_id: int | None
    assignee: str | None
    status: str = Task.Status.OPEN
    is_overdue: bool = False
    # Set by the page for supervisors: who they may give the task to.
    can_assign: bool = False
    assignees: list[str] = field(default_factory=list)


# The row query, compiled by the ORM once per process, database and sort (compiling its
# joins and columns was a fifth of a queue answer's CPU): ` IN (%s)` holds a stand-in
# where each page's own id query goes.
_ROWS_STAND_IN = -917_351_117
_rows_compiled: dict[tuple[str, str], str] = {}


def _rows_sql(alias: str, sort: str) -> str:
    if (alias, sort) not in _rows_compiled:
        rows = Task.objects.filter(pk__in=[_ROWS_STAND_IN]).order_by(*SORTS[sort])
        sql, params = rows.values_list(*ROW_FIELDS).query.get_compiler(using=alias).as_sql()
        if tuple(params) != (_ROWS_STAND_IN,) or sql.count(" IN (%s)") != 1:
            raise RuntimeError(f"unexpected shape of the queue's row query: {sql}")
        _rows_compiled[(alias, sort)] = sql
    return _rows_compiled[(alias, sort)]


# A page's SQL, kept per process for the same arguments (building the tab's conditions and
# compiling its id query was a quarter of the queue API's CPU, profiled): a pure function
# of them, the day included (the overdue filter), so nothing goes stale; the same user
# asking the same page again (a refresh, the next page and back) costs no ORM work.
@functools.lru_cache(maxsize=1024)
def _page_sql(alias, reach, scope, filters, start, stop, today) -> tuple[str | None, tuple]:
    tasks = _filtered(reach.open_tasks(scope), filters, reach.user_id)
    if tasks.query.is_empty():
        return None, ()
    page = tasks.order_by(*SORTS[filters.sort]).values("pk")[start:stop]
    page_sql, params = page.query.get_compiler(using=alias).as_sql()
    return _rows_sql(alias, filters.sort).replace(" IN (%s)", f" IN ({page_sql})"), tuple(params)


class TabPage:
    """A tab's rows for a paginator, its size known (counted with the other tabs): a page
    is chosen on the task table alone (filtered, sorted, cut: the first entries of the
    open tasks' index in the tab's order), then only its rows are joined to what a row
    shows, as plain values (50 model instances with their request, service, step and
    assignee were a third of a queue answer's CPU, profiled)."""

    ordered = True

    def __init__(self, reach, scope: str, filters: QueueFilters, *, count: int):
        self._reach, self._scope, self._filters, self._count = reach, scope, filters, count

    def count(self) -> int:
        return self._count

    def __getitem__(self, index) -> list[QueueRow]:
        if not isinstance(index, slice):
            raise TypeError("TabPage is read a page (a slice) at a time")
        start, stop, step = index.indices(self._count)
        if start >= stop or step != 1:
            return []
        alias, today = router.db_for_read(Task), timezone.localdate()
        sql, params = _page_sql(alias, self._reach, self._scope, self._filters, start, stop, today)
        if sql is None:
            return []
        with connections[alias].cursor() as cursor:
            if self._filters.q:  # a search's text is its own: nothing to plan once for
                cursor.execute(sql, params)
            else:  # planned once per connection
                prepared.execute(alias, cursor, sql, params)
            rows = [QueueRow(*row) for row in cursor.fetchall()]
        for row in rows:
            row.is_overdue = task_is_overdue(row, today)
        return rows


def tab_page(user, scope: str, filters: QueueFilters, *, reach, count: int) -> TabPage:
    """The tab `scope` of `reach` (the user's), searched and filtered, as pages of rows
    (`count`: its size)."""
    return TabPage(reach, scope, filters, count=count)


def _counts(reach, filters: QueueFilters, user) -> dict[str, int]:
    """Each tab's count over `reach`'s open tasks in one query; unfiltered, also the
    header's badge (`overdue`: overdue tasks of the "all" tab)."""
    names = [*SCOPES] if filters.active else [*SCOPES, "overdue"]
    if reach.user_id is None or reach.every_tab is NOTHING:
        return dict.fromkeys(names, 0)
    tabs = reach.tabs()
    if not filters.active:
        tabs["overdue"] = tabs["all"] & overdue_q()
    counts = {name: Count("pk", filter=cond) for name, cond in tabs.items() if cond is not NOTHING}
    found = _filtered(reach.open_tasks(), filters, user).aggregate(**counts)
    return {name: found.get(name, 0) for name in names}


def queue_counts(user, filters: QueueFilters | None = None, *, reach=None) -> dict[str, int]:
    """How many tasks each tab holds with the same search and filters. Unfiltered, the
    counts of the user's units come from `queue_cache` (a unit's 10,000 open tasks are
    counted once per change, not per answer) and also give the header's badge; the tasks
    routed to the user in person are counted beside them."""
    filters = filters or QueueFilters()
    reach = reach or QueueReach.of(user)
    if filters.active:
        return _counts(reach, filters, user)
    counts = queue_cache.unit_counts(reach.units_part(), lambda part: _counts(part, filters, user))
    routed = _routed_counts(reach)
    return {name: n + routed.get(name, 0) for name, n in counts.items()}


def _routed_counts(reach) -> dict[str, int]:
    """The tabs' counts of the tasks routed to the user in person: all of them are theirs
    ("mine", hence "all"), none is in a unit's queue (`QueueReach.tabs`). One small
    query by the position's and the request's open-task indexes (an aggregate's FILTER
    expressions cost more to build than these few rows), none without any."""
    routed = reach.routed_part()
    if routed.user_id is None or routed.routed is NOTHING:
        return {}
    alias, today = router.db_for_read(Task), timezone.localdate()
    with connections[alias].cursor() as cursor:
        prepared.execute(alias, cursor, *_routed_sql(alias, routed))
        late = [_late(overdue, due_date, today) for overdue, due_date in cursor.fetchall()]
    return {"mine": len(late), "all": len(late), "overdue": sum(late)}


# Its SQL, kept per process for the same routed reach (building the routing conditions was
# most of the counts' CPU, profiled; a pure function of its arguments).
@functools.lru_cache(maxsize=1024)
def _routed_sql(alias, routed) -> tuple[str, tuple]:
    tasks = routed.open_tasks("mine").order_by().values_list("overdue", "due_date")
    sql, params = tasks.query.get_compiler(using=alias).as_sql()
    return sql, tuple(params)


def tab_count(user, scope: str, filters: QueueFilters | None = None, *, reach=None) -> int:
    """How many tasks the tab `scope` holds (the API's `count`)."""
    filters = filters or QueueFilters()
    reach = reach or QueueReach.of(user)
    if filters.active:
        return _filtered(reach.open_tasks(scope), filters, user).count()
    if scope == "queue":  # never a task routed in person
        return queue_cache.unit_counts(reach.units_part(), lambda p: _counts(p, filters, user))[
            scope
        ]
    return queue_counts(user, filters, reach=reach)[scope]


def overdue_count(user, *, reach=None) -> int:
    """The header's badge: overdue tasks in the user's "all" tab."""
    if not user or not user.is_authenticated:
        return 0
    return queue_counts(user, reach=reach)["overdue"]


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
