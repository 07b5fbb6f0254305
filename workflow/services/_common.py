"""What every workflow service shares: the clock, locking, the history row, opening a
task, the transition guard and file storage that follows the transaction."""

import mimetypes
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from config.exceptions import ApplicationError, Conflict, NotFound
from config.transactional_files import file_written
from services_catalog.models import Step

from .. import roles
from ..deadlines import add_working_days
from ..models import RequestEvent, ServiceRequest, Task
from ..signals import request_transitioned


def now():
    return timezone.now()


def record(
    request,
    *,
    kind,
    actor=None,
    acting_as="",
    from_status="",
    step=None,
    task=None,
    note="",
    public_note="",
    is_transition=True,
    opened_task=None,
    at=None,
):
    """Write the history row and, for a transition, announce it (inside the transaction)."""
    event = RequestEvent.objects.create(
        request=request,
        kind=kind,
        is_transition=is_transition,
        at=at or now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        acting_as=acting_as[:200],
        from_status=from_status,
        to_status=request.status,
        step=step,
        task=task,
        note=note,
        public_note=public_note,
    )
    if is_transition:
        request_transitioned.send(
            sender=ServiceRequest, request=request, event=event, task=opened_task
        )
    return event


def task_due_date(step: Step, opened_at):
    """A task is due `step.sla_working_days` working days after the day it opens."""
    return add_working_days(timezone.localdate(opened_at), step.sla_working_days)


def open_task(request, step: Step, at) -> Task:
    position = None
    if step.route == Step.Route.SUPERIOR:
        # The position, not the person: whoever acts for it on the day decides.
        position = roles.superior_position_of(request.applicant_user, timezone.localdate(at))
        if position is None:
            raise ApplicationError(
                _("Your position has no superior position to send this request to.")
            )
    return Task.objects.create(
        request=request,
        step=step,
        unit=step.unit,
        position=position,
        created_at=at,
        due_date=task_due_date(step, at),
    )


def transition(method, **kwargs):
    try:
        method(**kwargs)
    except TransitionNotAllowed:
        raise Conflict(_("The request is not in a state that allows this action.")) from None


# --- locking: the request row, then its task row, everywhere --------------------------------


def lock_request(request) -> ServiceRequest:
    try:
        return (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("service__unit", "current_step", "office")
            .get(pk=request.pk)
        )
    except ServiceRequest.DoesNotExist:
        raise NotFound() from None


def lock_task(task) -> tuple[ServiceRequest, Task]:
    """Lock the request, then the task (the order every service uses)."""
    request = lock_request(ServiceRequest(pk=task.request_id))
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("step", "unit", "assigned_to")
        .filter(pk=task.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return request, locked


# --- files: random names, deleted again unless their transaction commits -----------------


def _extension(content_type: str, fallback: str = "") -> str:
    ext = mimetypes.guess_extension(content_type) or fallback
    return ".jpg" if ext in (".jpe", ".jpeg") else ext


def store(field_file, upload, content_type):
    """Save an upload under a random name (never the applicant's file name), inside
    `files_follow_transaction()`: a rollback deletes it again."""
    field_file.save(f"{uuid.uuid4().hex}{_extension(content_type)}", upload, save=False)
    file_written(field_file.storage, field_file.name)
