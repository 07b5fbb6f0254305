"""Who a user is to the staff queue (`QueueReach`), read in one small query, and each tab
as a condition on the open tasks' own columns.

Every tab starts from the open tasks of the units where the user works (staff or
supervisor) or of the steps routed to them in person, so nothing here can reach another
unit's work.
"""

import dataclasses
import datetime
import functools
import operator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db import router
from django.db.models import Q
from django.utils import timezone

from config.compiled import CompiledOnce
from organization.models import StaffMembership
from services_catalog.models import Step

from .models import Task
from .roles import WORKER_ROLES, clerk_offices_query, step_group_q, steps_barred_by_group

# mine: assigned to me; queue: unassigned tasks I may take; all: both, plus every open
# task of the units I supervise (who holds what).
SCOPES = ("mine", "queue", "all")


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


def _unit_ids(user, roles):
    """The user's units in `roles`, as a subquery (no query of its own)."""
    return StaffMembership.objects.filter(user=user, role__in=roles).values("unit_id")


def _reach_query(user_id: int, on, *, links: bool = False):
    """`QueueReach`'s one query: every list an ARRAY column of one row (with `links`, also
    the header's dashboard and counter links: the queue page's three queries of their
    own, profiled)."""
    from organization.selectors import headed_offices_query, positions_acted_for_subqueries

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
    if links:
        columns["headed_offices"] = headed_offices_query(user_id, on)
        columns["clerk_offices"] = clerk_offices_query(user_id)
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
_LINK_COLUMNS = ("headed_offices", "clerk_offices")
# Building its eight subqueries was a third of a queue answer's CPU (profiled on the
# bench stack): compiled once per process, only the user and the day change.
_REACH = CompiledOnce(_reach_query, user_id=-917_351_113, on=datetime.date(1901, 2, 3))
_REACH_AND_LINKS = CompiledOnce(
    functools.partial(_reach_query, links=True), user_id=-917_351_113, on=datetime.date(1901, 2, 3)
)


NOTHING = Q(pk__in=[])


def _any(*conditions: Q) -> Q:
    """Any of `conditions` (those that can match: an empty id list leaves no clause)."""
    some = [c for c in conditions if c is not NOTHING]
    return functools.reduce(operator.or_, some) if some else NOTHING


def _all(*conditions: Q) -> Q:
    return NOTHING if NOTHING in conditions else functools.reduce(operator.and_, conditions)


def _in(field: str, ids) -> Q:
    return Q(**{f"{field}__in": ids}) if ids else NOTHING


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
    # Not the queue's: what the header's links ask (dashboard/scope.py, roles.py), read
    # with `links` only (None: not read).
    headed_offices: tuple[int, ...] | None = None
    clerk_offices: tuple[int, ...] | None = None

    @classmethod
    def of(cls, user, on=None, *, links: bool = False) -> "QueueReach":
        if not user or not user.is_authenticated:
            return cls(user_id=None, headed_offices=(), clerk_offices=())
        alias, day = router.db_for_read(Task), on or timezone.localdate()
        query, names = (
            (_REACH_AND_LINKS, _REACH_COLUMNS + _LINK_COLUMNS)
            if links
            else (_REACH, _REACH_COLUMNS)
        )
        found = query.rows(alias, user_id=user.pk, on=day)
        row = dict(zip(names, found[0] if found else (), strict=False))

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
            headed_offices=ids("headed_offices") if links else None,
            clerk_offices=ids("clerk_offices") if links else None,
        )

    # Two disjoint parts (a unit's task is at a step worked by the unit's staff, a routed
    # one at a step routed in person): their tabs add up to the whole reach's.
    def units_part(self) -> "QueueReach":
        """The tasks of the user's units only (what `queue_cache` keeps counts of)."""
        return dataclasses.replace(
            self, positions=(), own_requests=(), headed_offices=None, clerk_offices=None
        )

    def routed_part(self) -> "QueueReach":
        """The tasks routed to the user in person only (without the links: one key of
        `_routed_sql`'s for the page and the API)."""
        return dataclasses.replace(
            self, units=(), supervised=(), headed_offices=None, clerk_offices=None
        )

    @property
    def unit_task(self) -> Q:
        """Of my units, at a step worked by the unit's staff (not routed in person)."""
        routed_steps = self.superior_steps + self.applicant_steps
        mine = _in("unit_id", self.units)
        return mine & ~Q(step_id__in=routed_steps) if routed_steps and self.units else mine

    @property
    def routed(self) -> Q:
        """Routed to me in person: by the position I act for (its open tasks read by
        the position's index) or my own request (by the request's)."""
        if not (self.positions and self.superior_steps) and not (
            self.own_requests and self.applicant_steps
        ):
            return NOTHING
        superior = _in("step_id", self.superior_steps)
        applicant = _in("step_id", self.applicant_steps)
        return _routed_q(
            superior_step=superior,
            applicant_step=applicant,
            acted_for=_in("position_id", self.positions),
            own_request=_in("request_id", self.own_requests),
        )

    def tabs(self) -> dict[str, Q]:
        """Each tab as a condition on open tasks. A task routed to the user in person is
        theirs without claiming (mine), never in a unit's queue."""
        mine_here = Q(assigned_to_id=self.user_id)
        may_take = step_group_q(
            barred_step_ids=self.barred_steps, supervised_unit_ids=self.supervised
        )
        queue_here = Q(assigned_to__isnull=True) & may_take
        supervised = _in("unit_id", self.supervised)
        unit_task, routed = self.unit_task, self.routed
        return {
            "mine": _any(_all(unit_task, mine_here), routed),
            "queue": _all(unit_task, queue_here),
            "all": _any(_all(unit_task, _any(mine_here, queue_here, supervised)), routed),
        }

    @property
    def every_tab(self) -> Q:
        """What any tab can hold: the candidates the tab counts are taken over."""
        return _any(self.unit_task, self.routed)

    def open_tasks(self, scope: str | None = None):
        """Open tasks of the tab `scope` (else of every tab)."""
        where = self.tabs()[scope] if scope else self.every_tab
        if self.user_id is None or where is NOTHING:
            return Task.objects.none()
        return Task.objects.filter(where, status=Task.Status.OPEN)
