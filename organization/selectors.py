"""Read-side questions about the organisation."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from .models import ActingAssignment, Position, PositionHolding, StaffMembership


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


def official_for_position(*, position: Position, on: datetime.date) -> Official | None:
    """Who acts for `position` on day `on`.

    A PLT/PLH in force replaces the definitive holder (M-SKP); else the definitive
    holder; else nobody (the position is vacant). Only employees in active service
    (kedudukan 01) act: an inactive PLT/PLH is skipped, an inactive holder leaves the
    position vacant. This is the one place that rule lives (`acting_on`).
    """
    acting = (
        ActingAssignment.objects.acting_on(on)
        .select_related("employee", "position")
        .filter(position=position)
        .order_by("-start_date")
        .first()
    )
    if acting is not None:
        return Official(employee=acting.employee, position=position, acting=acting)
    holding = (
        PositionHolding.objects.acting_on(on)
        .select_related("employee")
        .filter(position=position)
        .order_by("-start_date")
        .first()
    )
    if holding is not None:
        return Official(employee=holding.employee, position=position)
    return None


def positions_held(*, employee, on: datetime.date) -> list[Position]:
    """The positions `employee` holds definitively on `on`."""
    return [
        h.position
        for h in PositionHolding.objects.on(on).select_related("position").filter(employee=employee)
    ]


def positions_acted_for(*, employee, on: datetime.date) -> dict[int, str | None]:
    """The positions `employee` acts for on `on`: position id -> acting title ("Plt. ...")
    or None where they act as the definitive holder. A position with a PLT/PLH in force
    counts only for that acting official, never for its definitive holder; an employee
    not in active service acts for none. Two queries (the mirror of
    `official_for_position`, for "everything someone acts for")."""
    acted = {
        a.position_id: a.title
        for a in ActingAssignment.objects.acting_on(on)
        .select_related("position")
        .filter(employee=employee)
    }
    replaced = ActingAssignment.objects.acting_on(on).filter(position=OuterRef("position"))
    held = (
        PositionHolding.objects.acting_on(on)
        .filter(employee=employee)
        .exclude(Exists(replaced))
        .values_list("position_id", flat=True)
    )
    for position_id in held:
        acted.setdefault(position_id, None)
    return acted


def unit_ids_for_user(user, *, roles=None) -> set[int]:
    """Ids of the units `user` works for (optionally only in the given roles)."""
    if not user or not user.is_authenticated:
        return set()
    qs = StaffMembership.objects.filter(user=user)
    if roles:
        qs = qs.filter(role__in=roles)
    return set(qs.values_list("unit_id", flat=True))
