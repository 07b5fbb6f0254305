"""Business actions on the organisation. Keyword-only, one transaction each."""

import datetime

from django.db import transaction

from .models import ActingAssignment, Employee, Position, PositionHolding


@transaction.atomic
def acting_assignment_create(
    *,
    employee: Employee,
    position: Position,
    start_date: datetime.date,
    end_date: datetime.date,
    decree_number: str,
    kind: str = ActingAssignment.Kind.PLT,
) -> ActingAssignment:
    """Appoint a PLT/PLH. Refuses a period overlapping another acting official's.

    Locks the position row so two concurrent appointments cannot both pass the check.
    """
    Position.objects.select_for_update().get(pk=position.pk)
    assignment = ActingAssignment(
        employee=employee,
        position=position,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        decree_number=decree_number,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def employee_position_set(*, employee: Employee, position: Position, since: datetime.date):
    """Make `position` the employee's current definitive holding from `since` (the HR
    import). Another open holding ends the day before; the same one keeps its row (its
    start corrected). The model's checks (one holder of a structural position) apply."""
    open_holdings = list(
        PositionHolding.objects.select_for_update()
        .select_related("position")
        .filter(employee=employee, end_date__isnull=True)
    )
    same = next((h for h in open_holdings if h.position_id == position.pk), None)
    for holding in open_holdings:
        if holding is same:
            continue
        holding.end_date = max(since - datetime.timedelta(days=1), holding.start_date)
        holding.full_clean()
        holding.save(update_fields=["end_date"])
    if same is None:
        same = PositionHolding(employee=employee, position=position, start_date=since)
        same.full_clean()
        same.save()
    elif same.start_date != since:
        same.start_date = since
        same.full_clean()
        same.save(update_fields=["start_date"])
    return same
