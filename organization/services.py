"""Business actions on the organisation. Keyword-only, one transaction each."""

import datetime

from django.db import transaction

from .models import ActingAssignment, Employee, Position


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
