"""Staff decisions on a task: approve, return for correction, reject.

`task_complete` (the API's and the staff page's single entry) dispatches to one of the
three. They share `_decide`: lock, the worker and holder checks, claiming an unclaimed
task (`hand_over`), closing the task, the transition, moving the flow, the history row.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError, Conflict, PayloadTooLarge
from config.transactional_files import files_follow_transaction
from services_catalog.models import DEFAULT_CONTENT_TYPES, Step

from .. import flows, roles
from ..deadlines import correction_due_date
from ..models import RequestEvent, ServiceRequest, Task
from ..validation import clean_text, sniff_content_type
from ._common import lock_task, now, open_task, record, store, transition
from .claims import HELD_FIELDS, hand_over, require_worker

MAX_NOTE = 5000
MAX_PUBLIC_NOTE = 500


def _text(value, field: str, limit: int) -> str:
    try:
        return clean_text(value or "", limit=limit) if value else ""
    except ValidationError as exc:
        raise ApplicationError(field_errors={field: list(exc.messages)}) from None


def _note_required(note) -> str:
    note = _text(note, "note", MAX_NOTE)
    if not note:
        raise ApplicationError(
            field_errors={"note": [_("Write a note: the applicant will read it.")]}
        )
    return note


def _decide(*, task, user, decision, note, public_note="", check=None, move):
    """The shared decision sequence. `check(request, step)` refuses before anything is
    written; `move(request, step, at)` makes the transition and returns (history kind,
    history step, task opened or None, the flow's `Outcome`). A file `move` stores is
    deleted again unless the decision commits."""
    with files_follow_transaction():
        request, task = lock_task(task)
        unit_roles = require_worker(user, task)
        if task.status != Task.Status.OPEN:
            raise Conflict(_("This task has already been completed."))
        if task.assigned_to_id not in (None, user.pk):
            raise Conflict(
                _("This task is claimed by %(user)s.") % {"user": task.assigned_to.get_username()}
            )
        step = task.step
        if request.current_step_id != step.pk:
            raise Conflict(_("The request is no longer at this step."))
        if check is not None:
            check(request, step)
        at = now()
        acting_as = roles.acting_as_for_task(user, task, unit_roles)
        decided = ["status", "decision", "note", "completed_at", "completed_by"]
        if task.assigned_to_id is None:
            # Claimed and decided at once: the task and the request are saved once below.
            hand_over(
                request,
                task,
                to=user,
                actor=user,
                acting_as=acting_as,
                kind=RequestEvent.Kind.CLAIMED,
                at=at,
                save=False,
            )
            decided += HELD_FIELDS
        task.status = Task.Status.DONE
        task.decision = decision
        task.note = note
        task.completed_at = at
        task.completed_by = user
        task.save(update_fields=decided)
        from_status = request.status
        kind, event_step, opened, outcome = move(request, step, at)
        request.save()
        flows.flow_step_decided(request, outcome=outcome, opened=opened)
        record(
            request,
            kind=kind,
            actor=user,
            acting_as=acting_as,
            from_status=from_status,
            step=event_step,
            task=task,
            note=note,
            public_note=_text(public_note, "public_note", MAX_PUBLIC_NOTE),
            opened_task=opened,
            at=at,
        )
    request.decided_task = task  # as saved: the API answers with it, not read again
    return request


def _check_result_file(result_file) -> str:
    if result_file.size > settings.MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(field_errors={"result": [_("The result file is too large.")]})
    if result_file.size == 0:
        raise ApplicationError(field_errors={"result": [_("The file is empty.")]})
    content_type = sniff_content_type(result_file)
    if content_type not in DEFAULT_CONTENT_TYPES:
        raise ApplicationError(
            field_errors={"result": [_("Upload the result as a PDF, JPG or PNG file.")]}
        )
    return content_type


def task_approve(
    *, task: Task, user, note: str = "", public_note: str = "", result_file=None
) -> ServiceRequest:
    """Approve the step: the request moves to the next step (a new task), or completes
    after the last one. A `produces_result` step needs the result file (PDF/JPG/PNG)."""
    note = _text(note, "note", MAX_NOTE)
    result_type = None

    def check(request, step):
        nonlocal result_type
        if step.route == Step.Route.APPLICANT and not note:
            # The applicant's delivery (e.g. the post-activity report) is its text.
            raise ApplicationError(field_errors={"note": [_("Write what you deliver.")]})
        if step.produces_result and result_file is None:
            raise ApplicationError(field_errors={"result": [_("Attach the result document.")]})
        if result_file is not None and not step.produces_result:
            raise ApplicationError(
                field_errors={"result": [_("This step does not produce a result.")]}
            )
        if result_file is not None:
            result_type = _check_result_file(result_file)

    def move(request, step, at):
        if result_file is not None:
            store(request.result_document, result_file, result_type)
        next_step = (
            Step.objects.filter(service_id=request.service_id, order__gt=step.order)
            .select_related("unit")
            .order_by("order")
            .first()
        )
        if next_step is None:
            transition(request.complete, at=at)
            return RequestEvent.Kind.COMPLETED, step, None, flows.Outcome.FINISHED
        transition(request.advance, next_step=next_step)
        opened = open_task(request, next_step, at)
        return RequestEvent.Kind.ADVANCED, next_step, opened, flows.Outcome.NEXT_STEP

    return _decide(
        task=task,
        user=user,
        decision=Task.Decision.APPROVE,
        note=note,
        public_note=public_note,
        check=check,
        move=move,
    )


def task_return(
    *, task: Task, user, note: str, public_note: str = "", correction_codes=()
) -> ServiceRequest:
    """Return the request to the applicant for a correction (`needs_info`): only where the
    step allows it, with a note, optionally naming the fields/documents to fix."""
    note = _note_required(note)
    codes = list(correction_codes or [])
    if not all(isinstance(c, str) for c in codes):
        raise ApplicationError(field_errors={"correction_codes": [_("A list of codes.")]})

    def check(request, step):
        if not step.may_return:
            raise ApplicationError(
                field_errors={"decision": [_("This step may not return the request.")]}
            )
        known = {f.code for f in request.service.fields.all()} | {
            d.code for d in request.service.documents.all()
        }
        unknown = sorted(set(codes) - known)
        if unknown:
            raise ApplicationError(
                field_errors={"correction_codes": [_("Unknown codes: %s.") % ", ".join(unknown)]}
            )

    def move(request, step, at):
        correct_by = correction_due_date(timezone.localdate(at), request.service.correction_days)
        transition(request.return_for_correction, codes=codes, correct_by=correct_by)
        return RequestEvent.Kind.RETURNED, step, None, flows.Outcome.CORRECTION

    return _decide(
        task=task,
        user=user,
        decision=Task.Decision.RETURN,
        note=note,
        public_note=public_note,
        check=check,
        move=move,
    )


def task_reject(*, task: Task, user, note: str, public_note: str = "") -> ServiceRequest:
    """Reject the request (final; a note for the applicant is required)."""
    note = _note_required(note)

    def move(request, step, at):
        transition(request.reject, at=at)
        return RequestEvent.Kind.REJECTED, step, None, flows.Outcome.FINISHED

    return _decide(
        task=task,
        user=user,
        decision=Task.Decision.REJECT,
        note=note,
        public_note=public_note,
        move=move,
    )


def task_complete(
    *,
    task: Task,
    user,
    decision: str,
    note: str = "",
    public_note: str = "",
    result_file=None,
    correction_codes=None,
) -> ServiceRequest:
    """Decide a task: dispatches to `task_approve`, `task_return` or `task_reject`.
    Completing an unclaimed task claims it first; 409 if it is no longer open or
    someone else holds it. `note` goes to the applicant alone; `public_note`, optional,
    is what the public timeline shows of this decision. The returned request carries
    the decided task, as saved, in `decided_task`."""
    common = {"task": task, "user": user, "note": note, "public_note": public_note}
    if decision == Task.Decision.APPROVE:
        return task_approve(**common, result_file=result_file)
    if decision == Task.Decision.RETURN:
        if correction_codes is not None and not isinstance(correction_codes, list):
            raise ApplicationError(field_errors={"correction_codes": [_("A list of codes.")]})
        return task_return(**common, correction_codes=correction_codes)
    if decision == Task.Decision.REJECT:
        return task_reject(**common)
    raise ApplicationError(field_errors={"decision": [_("Choose approve, return or reject.")]})
