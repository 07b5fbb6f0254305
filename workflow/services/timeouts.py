"""What happens when a deadline passes. The flow's timers call these
(`workflow.flows.ServiceRequestFlow`, fired by viewflow's `workflow_timers` dispatcher):
an overdue task is flagged and its unit's supervisors are told; a request not corrected
in time is closed as cancelled."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import roles
from ..models import RequestEvent, RequestStatus, ServiceRequest, Task
from ..signals import task_overdue
from ._common import lock_request, now, record


def supervisors_of(unit_id) -> list:
    return list(
        get_user_model()
        .objects.filter(
            memberships__unit_id=unit_id,
            memberships__role=roles.Role.SUPERVISOR,
            is_active=True,
        )
        .distinct()
    )


def task_mark_overdue(*, task_id) -> bool:
    """Flag one open task as overdue, once: a staff-side `overdue` history row and
    `task_overdue` (task, supervisors) so the unit's supervisors are told. False when
    the task is no longer open or already flagged."""
    with transaction.atomic():
        task = (
            Task.objects.select_for_update(of=("self",))
            .select_related("request", "step", "unit")
            .filter(pk=task_id, status=Task.Status.OPEN, overdue=False)
            .first()
        )
        if task is None:
            return False
        at = now()
        task.overdue = True
        task.overdue_notified_at = at
        task.save(update_fields=["overdue", "overdue_notified_at"])
        request = task.request
        record(
            request,
            kind=RequestEvent.Kind.OVERDUE,
            from_status=request.status,
            step=task.step,
            task=task,
            note=task.due_date.isoformat(),
            is_transition=False,
            at=at,
        )
        told = supervisors_of(task.unit_id)
        if task.step.route == "applicant" and request.applicant_user is not None:
            told.append(request.applicant_user)  # the applicant owes the delivery
        task_overdue.send(sender=Task, task=task, supervisors=told)
    return True


def request_close_unanswered(*, request_id) -> ServiceRequest | None:
    """Close a request still waiting for its correction after `correction_due_date`:
    `needs_info` -> `cancelled`, a public `closed_unanswered` history row (the applicant's
    page and WhatsApp message say why). None when it is no longer waiting (corrected or
    cancelled meanwhile) or its correction date has not passed."""
    with transaction.atomic():
        request = lock_request(ServiceRequest(pk=request_id))
        due = request.correction_due_date
        if request.status != RequestStatus.NEEDS_INFO or due is None:
            return None
        if timezone.localdate() <= due:
            return None
        at = now()
        from_status = request.status
        request.close_unanswered(at=at)
        request.save()
        record(
            request,
            kind=RequestEvent.Kind.CLOSED_UNANSWERED,
            acting_as=_("System"),
            from_status=from_status,
            step=request.current_step,
            note=_("No correction was received by %(date)s.") % {"date": due.strftime("%d-%m-%Y")},
            at=at,
        )
    return request
