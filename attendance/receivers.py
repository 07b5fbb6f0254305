"""An approved leave request (a completed internal service marked as leave) excuses its
days in the recap: the workflow announces the transition, attendance writes the Absence
in the same transaction."""

import datetime

from django.dispatch import receiver

from workflow.models import RequestEvent
from workflow.signals import request_transitioned

from . import services
from .models import LeaveService

START, END = "mulai", "selesai"


@receiver(request_transitioned, dispatch_uid="attendance.leave_approved")
def leave_approved(sender, request, event, **kwargs):
    if event.kind != RequestEvent.Kind.COMPLETED or request.applicant_user_id is None:
        return
    leave = LeaveService.objects.filter(service_id=request.service_id).first()
    if leave is None:
        return
    employee = getattr(request.applicant_user, "employee", None)
    start = _date(request.data.get(START))
    end = _date(request.data.get(END)) or start
    if employee is None or start is None:
        return
    services.absence_record(
        employee=employee,
        kind=leave.absence_kind,
        start_date=start,
        end_date=max(start, end),
        reference=request.registration_number,
        source_request_id=request.pk,
    )


def _date(value):
    try:
        return datetime.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
