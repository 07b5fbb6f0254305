"""What happens when a deadline passes: an overdue task is flagged and its unit's
supervisors are told."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .. import roles
from ..models import RequestEvent, Task
from ..signals import task_overdue
from ._common import now, record


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
        task_overdue.send(sender=Task, task=task, supervisors=supervisors_of(task.unit_id))
    return True


def tasks_mark_overdue(*, today: datetime.date | None = None) -> int:
    """Flag every open task past its due date (see `task_mark_overdue`)."""
    today = today or timezone.localdate()
    ids = Task.objects.filter(status=Task.Status.OPEN, overdue=False, due_date__lt=today)
    return sum(
        task_mark_overdue(task_id=pk)
        for pk in ids.order_by("due_date", "pk").values_list("pk", flat=True)
    )
