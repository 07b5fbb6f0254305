"""Read-side questions about the organisation."""

import datetime
from dataclasses import dataclass

from django.db import router
from django.db.models import Exists, F, OuterRef, Q

from config.compiled import CompiledOnce

from .models import (
    STRUCTURAL_KINDS,
    ActingAssignment,
    Position,
    PositionHolding,
    StaffMembership,
)


@dataclass(frozen=True)
class Official:
    """Who acts for a position on a day, and in what capacity."""

    employee: object  # organization.Employee
    position: Position
    acting: ActingAssignment | None = None

    @property
    def acting_as(self) -> str | None:
        """'Plt. Kepala Seksi ...' when acting, None for the definitive holder."""
        return self.acting.title if self.acting else None


# --- who acts for a position: the one home of "a PLT/PLH in force replaces the holder" ----


def _acting_in_force(on: datetime.date):
    """PLT/PLH appointments in force on `on` whose appointee is in active service."""
    return ActingAssignment.objects.acting_on(on).select_related("employee", "position")


def _holders_in_charge(on: datetime.date):
    """Definitive holdings whose holder acts on `on`: in force, holder in active service,
    and no PLT/PLH in force for the position (the acting official replaces the holder)."""
    replaced = ActingAssignment.objects.acting_on(on).filter(position=OuterRef("position"))
    return PositionHolding.objects.acting_on(on).exclude(Exists(replaced))


def official_for_position(*, position: Position, on: datetime.date) -> Official | None:
    """Who acts for `position` on day `on`.

    A PLT/PLH in force replaces the definitive holder (M-SKP); else the definitive
    holder; else nobody (the position is vacant). Only employees in active service
    (kedudukan 01) act: an inactive PLT/PLH is skipped, an inactive holder leaves the
    position vacant. `positions_acted_for` answers the same rule from the employee's side.
    """
    acting = _acting_in_force(on).filter(position=position).order_by("-start_date").first()
    if acting is not None:
        return Official(employee=acting.employee, position=position, acting=acting)
    holding = (
        _holders_in_charge(on)
        .select_related("employee")
        .filter(position=position)
        .order_by("-start_date")
        .first()
    )
    if holding is not None:
        return Official(employee=holding.employee, position=position)
    return None


def positions_acted_for(*, employee, on: datetime.date) -> dict[int, str | None]:
    """The positions `employee` acts for on `on`: position id -> acting title ("Plt. ...")
    or None where they act as the definitive holder: for each, `official_for_position`
    names `employee`. Two queries."""
    acted = {a.position_id: a.title for a in _acting_in_force(on).filter(employee=employee)}
    held = _holders_in_charge(on).filter(employee=employee).values_list("position_id", flat=True)
    for position_id in held:
        acted.setdefault(position_id, None)
    return acted


def positions_acted_for_subqueries(*, user, on: datetime.date):
    """`positions_acted_for` for `user`'s employee as two subqueries of position ids (the
    PLT/PLH appointments, the definitive holdings), no query of their own."""
    acting = _acting_in_force(on).filter(employee__user=user).values("position_id")
    held = _holders_in_charge(on).filter(employee__user=user).values("position_id")
    return acting, held


def positions_acted_for_q(*, user, on: datetime.date, field: str = "position_id") -> Q:
    """`positions_acted_for` for `user`'s employee as a filter on `field` (subqueries,
    no query of its own), for querysets that must stay at a constant query count."""
    acting, held = positions_acted_for_subqueries(user=user, on=on)
    return Q(**{f"{field}__in": acting}) | Q(**{f"{field}__in": held})


def positions_held(*, employee, on: datetime.date) -> list[Position]:
    """The positions `employee` holds definitively on `on`."""
    return [
        h.position
        for h in PositionHolding.objects.on(on).select_related("position").filter(employee=employee)
    ]


def unit_ids_for_user(user, *, roles=None) -> set[int]:
    """Ids of the units `user` works for (optionally only in the given roles)."""
    if not user or not user.is_authenticated:
        return set()
    qs = StaffMembership.objects.filter(user=user)
    if roles:
        qs = qs.filter(role__in=roles)
    return set(qs.values_list("unit_id", flat=True))


def hr_office_ids(user) -> set[int]:
    """Offices whose personnel section (kepegawaian, role `hr`) `user` works for."""
    if not user or not user.is_authenticated:
        return set()
    return set(
        StaffMembership.objects.filter(user=user, role=StaffMembership.Role.HR).values_list(
            "unit__office_id", flat=True
        )
    )


def office_head_positions():
    """The positions that head an office: structural, at the top of the office's own
    reporting tree (no superior, or a superior in another office: a Kepala Kantor reports
    to the Kepala Kanwil)."""
    return Position.objects.filter(kind__in=STRUCTURAL_KINDS).filter(
        Q(superior__isnull=True) | ~Q(superior__unit__office_id=F("unit__office_id"))
    )


def headed_offices_query(user_id: int, on: datetime.date):
    """The office ids of `headed_office_ids`, as a queryset (also a subquery of the
    staff queue's reach)."""
    acting = _acting_in_force(on).filter(employee__user=user_id, position=OuterRef("pk"))
    holding = _holders_in_charge(on).filter(employee__user=user_id, position=OuterRef("pk"))
    return (
        office_head_positions()
        .filter(Exists(acting) | Exists(holding))
        .values_list("unit__office_id", flat=True)
    )


# Asked on every staff page (the dashboard link): compiling it was a quarter of the
# staff queue page's CPU (profiled).
_HEADED_OFFICES = CompiledOnce(
    headed_offices_query, user_id=-917_351_119, on=datetime.date(1901, 2, 5)
)


def headed_office_ids(user, *, on: datetime.date) -> set[int]:
    """Offices `user` heads on `on`: they act (`official_for_position`'s rule: a PLT/PLH in
    force, else the definitive holder in active service) for an office's head position.
    One query."""
    if not user or not user.is_authenticated:
        return set()
    alias = router.db_for_read(Position)
    return {office_id for (office_id,) in _HEADED_OFFICES.rows(alias, user_id=user.pk, on=on)}


def administered_office_ids(user) -> set[int] | None:
    """Offices whose organisation `user` manages in the admin: all (None) for a superuser,
    else those where they are office administrator or personnel (role `admin` or `hr`)."""
    if user and user.is_authenticated and user.is_superuser:
        return None
    if not user or not user.is_authenticated:
        return set()
    roles = [StaffMembership.Role.ADMIN, StaffMembership.Role.HR]
    return set(
        StaffMembership.objects.filter(user=user, role__in=roles).values_list(
            "unit__office_id", flat=True
        )
    )
