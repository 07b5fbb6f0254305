"""Read-side questions about the organisation."""

import datetime
from dataclasses import dataclass

from django.db.models import Q

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
    holder; else nobody (the position is vacant).
    """
    acting = (
        ActingAssignment.objects.select_related("employee", "position")
        .filter(position=position, start_date__lte=on, end_date__gte=on)
        .order_by("-start_date")
        .first()
    )
    if acting is not None:
        return Official(employee=acting.employee, position=position, acting=acting)
    holding = (
        PositionHolding.objects.select_related("employee")
        .filter(position=position, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
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
        for h in PositionHolding.objects.select_related("position")
        .filter(employee=employee, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    ]


def unit_ids_for_user(user, *, roles=None) -> set[int]:
    """Ids of the units `user` works for (optionally only in the given roles)."""
    if not user or not user.is_authenticated:
        return set()
    qs = StaffMembership.objects.filter(user=user)
    if roles:
        qs = qs.filter(role__in=roles)
    return set(qs.values_list("unit_id", flat=True))
