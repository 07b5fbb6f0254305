"""Business actions on service requests and staff tasks.

Every function here is one transaction: it checks the rules, calls the request's
`@transition` method, writes the history row (`RequestEvent`) and announces the
transition with `workflow.signals.request_transitioned` *inside* the transaction (after
the history row), so listeners' rows commit or roll back with it. Pages, the API, the
counter, Celery and the WhatsApp bot all call these same functions.

Locking order, everywhere: the request row, then its task row (`select_for_update`), so
two people acting on the same request at once are serialised and the loser gets 409.
"""

import contextlib
import datetime
import mimetypes
import uuid

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from config.exceptions import ApplicationError, Conflict, Forbidden, NotFound, PayloadTooLarge
from organization.models import StaffMembership
from services_catalog.models import DEFAULT_CONTENT_TYPES, ServiceType, Step

from . import flows
from .deadlines import add_working_days
from .models import (
    Channel,
    Document,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    Task,
)
from .numbers import allocate_registration_number, key_of
from .signals import request_transitioned, task_overdue
from .validation import (
    clean_applicant,
    clean_data,
    clean_documents,
    sniff_content_type,
)

WORKER_ROLES = (StaffMembership.Role.STAFF, StaffMembership.Role.SUPERVISOR)


# --- helpers -----------------------------------------------------------------------------


def _now():
    return timezone.now()


def _today():
    return timezone.localdate()


def _membership_roles(user, unit_id) -> set[str]:
    if not user or not user.is_authenticated:
        return set()
    return set(
        StaffMembership.objects.filter(user=user, unit_id=unit_id).values_list("role", flat=True)
    )


def _acting_as_staff(user, unit, roles=None) -> str:
    roles = roles if roles is not None else _membership_roles(user, unit.pk)
    if StaffMembership.Role.SUPERVISOR in roles:
        role = _("Supervisor")
    elif StaffMembership.Role.STAFF in roles:
        role = _("Staff")
    elif StaffMembership.Role.CLERK in roles:
        role = _("Counter clerk")
    else:
        role = _("Staff")
    return f"{role}, {unit.name}"


def _record(
    request,
    *,
    kind,
    actor=None,
    acting_as="",
    from_status="",
    step=None,
    task=None,
    note="",
    is_transition=True,
    opened_task=None,
    at=None,
):
    """Write the history row and, for a transition, announce it (inside the transaction)."""
    event = RequestEvent.objects.create(
        request=request,
        kind=kind,
        is_transition=is_transition,
        at=at or _now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        acting_as=acting_as[:200],
        from_status=from_status,
        to_status=request.status,
        step=step,
        task=task,
        note=note,
    )
    if is_transition:
        request_transitioned.send(
            sender=ServiceRequest, request=request, event=event, task=opened_task
        )
    return event


def _open_task(request, step: Step, now) -> Task:
    return Task.objects.create(
        request=request,
        step=step,
        unit=step.unit,
        created_at=now,
        due_date=add_working_days(timezone.localdate(now), step.sla_working_days),
    )


def _extension(content_type: str, fallback: str = "") -> str:
    ext = mimetypes.guess_extension(content_type) or fallback
    return ".jpg" if ext in (".jpe", ".jpeg") else ext


def _store(field_file, upload, content_type, stored: list[str]):
    """Save an upload under a random name (never the applicant's file name)."""
    field_file.save(f"{uuid.uuid4().hex}{_extension(content_type)}", upload, save=False)
    stored.append(field_file.name)


def _delete_files(names):
    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(name)


def _on_rollback_delete(stored: list[str]):
    """Files written inside a transaction that did not commit are removed again."""
    _delete_files(stored)


def _transition(method, **kwargs):
    try:
        method(**kwargs)
    except TransitionNotAllowed:
        raise Conflict(_("The request is not in a state that allows this action.")) from None


# --- submitting --------------------------------------------------------------------------


def _check_counter_clerk(user, service):
    if not user or not user.is_authenticated:
        raise Forbidden(_("Only a counter clerk may register a request at the counter."))
    is_clerk = StaffMembership.objects.filter(
        user=user, role=StaffMembership.Role.CLERK, unit__office_id=service.unit.office_id
    ).exists()
    if not is_clerk:
        raise Forbidden(_("Only a counter clerk of this office may register a request here."))


def service_request_validate(*, service, applicant, data, documents) -> tuple:
    """Validate a submission without writing anything.

    Returns (applicant, data, documents) cleaned; raises PayloadTooLarge (413) for an
    oversized document, else ApplicationError (400) with every field error at once.
    """
    if service is None or not isinstance(service, ServiceType) or not service.is_active:
        raise ApplicationError(field_errors={"service": [_("Unknown or inactive service.")]})
    clean_app, errors = clean_applicant(applicant)
    clean_answers, data_errors = clean_data(service, data)
    docs, doc_errors, too_large = clean_documents(service, documents)
    if too_large:
        raise PayloadTooLarge(field_errors=too_large)
    errors.update(data_errors)
    errors.update(doc_errors)
    if errors:
        raise ApplicationError(_("Please correct the errors below."), field_errors=errors)
    return clean_app, clean_answers, docs


def service_request_submit(
    *,
    service: ServiceType,
    applicant: dict,
    data: dict,
    documents: dict,
    channel: str = Channel.ONLINE,
    acting_user=None,
) -> ServiceRequest:
    """Create a request in `submitted` with its number, access token, documents, the task
    of step 1 and its history row, in one transaction; announce the transition."""
    if channel not in Channel.values:
        raise ApplicationError(field_errors={"channel": [_("Unknown channel.")]})
    if channel == Channel.COUNTER:
        _check_counter_clerk(acting_user, service)
    clean_app, clean_answers, docs = service_request_validate(
        service=service, applicant=applicant, data=data, documents=documents
    )
    steps = sorted(service.steps.all(), key=lambda s: s.order)
    if not steps:
        raise ApplicationError(_("This service has no steps configured yet."))
    office = service.unit.office
    stored: list[str] = []
    try:
        with transaction.atomic():
            now = _now()
            number = allocate_registration_number(office=office, on=timezone.localdate(now))
            request = ServiceRequest(
                service=service,
                office=office,
                registration_number=number,
                registration_key=key_of(number),
                channel=channel,
                submitted_by=acting_user if channel == Channel.COUNTER else None,
                applicant_name=clean_app["name"],
                applicant_phone=clean_app["phone"],
                applicant_nik=clean_app["nik"],
                applicant_email=clean_app["email"],
                data=clean_answers,
            )
            request.submit(
                first_step=steps[0],
                at=now,
                due_date=add_working_days(timezone.localdate(now), service.sla_working_days),
            )
            request.save()
            _save_documents(request, docs, stored)
            task = _open_task(request, steps[0], now)
            flows.flow_started(request)
            if channel == Channel.COUNTER:
                acting_as = _acting_as_staff(acting_user, service.unit, {"clerk"})
            else:
                acting_as = _("Applicant")
            _record(
                request,
                kind=RequestEvent.Kind.SUBMITTED,
                actor=acting_user,
                acting_as=acting_as,
                step=steps[0],
                task=task,
                opened_task=task,
                at=now,
            )
    except BaseException:
        _on_rollback_delete(stored)
        raise
    return request


def _save_documents(request, docs, stored):
    for doc in docs:
        row = Document(
            request=request,
            code=doc.spec.code,
            original_name=doc.original_name,
            content_type=doc.content_type,
            size=doc.size,
            sha256=doc.sha256,
        )
        _store(row.file, doc.file, doc.content_type, stored)
        row.save()


def _lock_request(request) -> ServiceRequest:
    try:
        return (
            ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("service__unit", "current_step")
            .get(pk=request.pk)
        )
    except ServiceRequest.DoesNotExist:
        raise NotFound() from None


def service_request_resubmit(
    *, request: ServiceRequest, data: dict, documents: dict, acting_user=None
) -> ServiceRequest:
    """The applicant's correction after a return: back into the same step, a new task.

    Only the codes the office named (`correction_codes`) may change when it named any;
    replaced documents are kept, marked superseded. The identity cannot change here.
    """
    data = {} if data is None else data
    documents = documents or {}
    if not isinstance(data, dict):
        raise ApplicationError(
            field_errors={"data": [_("The form data must be an object of field codes.")]}
        )
    stored: list[str] = []
    try:
        with transaction.atomic():
            request = _lock_request(request)
            if request.status != RequestStatus.NEEDS_INFO:
                raise Conflict(_("Only a request returned for correction can be resubmitted."))
            service = request.service
            allowed = set(request.correction_codes or [])
            merged = {**request.data, **data}
            clean_answers, errors = clean_data(service, merged)
            current_docs = {d.code: d for d in request.documents.filter(superseded=False)}
            docs, doc_errors, too_large = clean_documents(
                service, documents, present=frozenset(current_docs)
            )
            if too_large:
                raise PayloadTooLarge(field_errors=too_large)
            errors.update(doc_errors)
            if allowed:
                changed = {
                    code
                    for code in set(clean_answers) | set(request.data)
                    if clean_answers.get(code) != request.data.get(code)
                } | set(documents)
                for code in sorted(changed - allowed):
                    errors.setdefault(code, []).append(
                        _("The office did not ask for this to be changed.")
                    )
            if errors:
                raise ApplicationError(_("Please correct the errors below."), field_errors=errors)
            now = _now()
            replaced = [current_docs[d.spec.code].pk for d in docs if d.spec.code in current_docs]
            if replaced:
                Document.objects.filter(pk__in=replaced).update(superseded=True)
            _save_documents(request, docs, stored)
            from_status = request.status
            request.data = clean_answers
            _transition(
                request.resubmit,
                due_date=add_working_days(timezone.localdate(now), service.sla_working_days),
            )
            request.save()
            task = _open_task(request, request.current_step, now)
            flows.flow_resubmitted(request)
            _record(
                request,
                kind=RequestEvent.Kind.RESUBMITTED,
                actor=acting_user,
                acting_as=_("Applicant"),
                from_status=from_status,
                step=request.current_step,
                task=task,
                opened_task=task,
                at=now,
            )
    except BaseException:
        _on_rollback_delete(stored)
        raise
    return request


def service_request_cancel(
    *, request: ServiceRequest, acting_user=None, note: str = ""
) -> ServiceRequest:
    """The applicant withdraws the request (any time before it is finished)."""
    with transaction.atomic():
        request = _lock_request(request)
        if request.is_final:
            raise Conflict(_("A finished request cannot be cancelled."))
        from_status = request.status
        now = _now()
        _transition(request.cancel, at=now)
        request.save()
        open_task = Task.objects.select_for_update().filter(
            request=request, status=Task.Status.OPEN
        )
        task = open_task.first()
        if task is not None:
            task.status = Task.Status.CANCELLED
            task.completed_at = now
            task.save(update_fields=["status", "completed_at"])
        flows.flow_cancelled(request)
        _record(
            request,
            kind=RequestEvent.Kind.CANCELLED,
            actor=acting_user,
            acting_as=_("Applicant"),
            from_status=from_status,
            step=request.current_step,
            task=task,
            note=(note or "").strip(),
            at=now,
        )
    return request


# --- staff tasks -------------------------------------------------------------------------


def _lock_task(task) -> tuple[ServiceRequest, Task]:
    """Lock the request, then the task (the order every service uses)."""
    request = _lock_request(ServiceRequest(pk=task.request_id))
    locked = (
        Task.objects.select_for_update(of=("self",))
        .select_related("step", "unit", "assigned_to")
        .filter(pk=task.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return request, locked


def _require_worker(user, task) -> set[str]:
    """The user's roles in the task's unit; NotFound outside it (object-level filtering)."""
    roles = _membership_roles(user, task.unit_id)
    if not roles & set(WORKER_ROLES):
        raise NotFound()
    group = task.step.group_id
    if (
        group
        and StaffMembership.Role.SUPERVISOR not in roles
        and not user.groups.filter(pk=group).exists()
    ):
        raise Forbidden(_("This step is handled by another group of your unit."))
    return roles


def _take(task, *, user, now):
    """Give the task an assignee (callers then start the request if it is the first)."""
    task.assigned_to = user
    task.claimed_at = now
    task.save(update_fields=["assigned_to", "claimed_at"])
    return task


def _start_if_first(request, task, *, actor, acting_as, now):
    if request.status == RequestStatus.SUBMITTED:
        from_status = request.status
        _transition(request.start)
        request.save()
        _record(
            request,
            kind=RequestEvent.Kind.STARTED,
            actor=actor,
            acting_as=acting_as,
            from_status=from_status,
            step=task.step,
            task=task,
            at=now,
        )


def task_claim(*, task: Task, user) -> Task:
    """Take an open task from the queue. 409 when someone else holds it."""
    with transaction.atomic():
        request, task = _lock_task(task)
        roles = _require_worker(user, task)
        if task.status != Task.Status.OPEN:
            raise Conflict(_("This task is no longer open."))
        if task.assigned_to_id == user.pk:
            return task
        if task.assigned_to_id is not None:
            raise Conflict(
                _("This task is already claimed by %(user)s.")
                % {"user": task.assigned_to.get_username()}
            )
        now = _now()
        acting_as = _acting_as_staff(user, task.unit, roles)
        _take(task, user=user, now=now)
        _record(
            request,
            kind=RequestEvent.Kind.CLAIMED,
            actor=user,
            acting_as=acting_as,
            from_status=request.status,
            step=task.step,
            task=task,
            is_transition=False,
            at=now,
        )
        _start_if_first(request, task, actor=user, acting_as=acting_as, now=now)
    return task


def task_release(*, task: Task, user) -> Task:
    """Put a claimed task back in the queue (its holder or a supervisor of the unit)."""
    with transaction.atomic():
        request, task = _lock_task(task)
        roles = _require_worker(user, task)
        if task.status != Task.Status.OPEN:
            raise Conflict(_("This task is no longer open."))
        if task.assigned_to_id is None:
            raise Conflict(_("This task is not claimed."))
        if task.assigned_to_id != user.pk and StaffMembership.Role.SUPERVISOR not in roles:
            raise Forbidden(_("Only the holder or a supervisor may release this task."))
        previous = task.assigned_to.get_username()
        task.assigned_to = None
        task.claimed_at = None
        task.save(update_fields=["assigned_to", "claimed_at"])
        _record(
            request,
            kind=RequestEvent.Kind.RELEASED,
            actor=user,
            acting_as=_acting_as_staff(user, task.unit, roles),
            from_status=request.status,
            step=task.step,
            task=task,
            note=previous,
            is_transition=False,
        )
    return task


def task_assign(*, task: Task, assignee, user) -> Task:
    """A supervisor of the task's unit gives it to a staff member of that unit."""
    with transaction.atomic():
        request, task = _lock_task(task)
        roles = _require_worker(user, task)
        if StaffMembership.Role.SUPERVISOR not in roles:
            raise Forbidden(_("Only a supervisor of the unit may assign tasks."))
        if task.status != Task.Status.OPEN:
            raise Conflict(_("This task is no longer open."))
        if assignee is None or not (_membership_roles(assignee, task.unit_id) & set(WORKER_ROLES)):
            raise ApplicationError(
                field_errors={"user": [_("Choose a staff member of this unit.")]}
            )
        if not assignee.is_active:
            raise ApplicationError(field_errors={"user": [_("This account is inactive.")]})
        if (
            task.step.group_id
            and StaffMembership.Role.SUPERVISOR not in _membership_roles(assignee, task.unit_id)
            and not assignee.groups.filter(pk=task.step.group_id).exists()
        ):
            raise ApplicationError(
                field_errors={"user": [_("This person is not in the step's staff group.")]}
            )
        now = _now()
        acting_as = _acting_as_staff(user, task.unit, roles)
        _take(task, user=assignee, now=now)
        _record(
            request,
            kind=RequestEvent.Kind.ASSIGNED,
            actor=user,
            acting_as=acting_as,
            from_status=request.status,
            step=task.step,
            task=task,
            note=assignee.get_username(),
            is_transition=False,
            at=now,
        )
        _start_if_first(request, task, actor=user, acting_as=acting_as, now=now)
    return task


def _check_result_file(result_file):
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


def task_complete(
    *,
    task: Task,
    user,
    decision: str,
    note: str = "",
    result_file=None,
    correction_codes=None,
) -> ServiceRequest:
    """Decide a task: approve (next step, or completion after the last), return for
    correction (`needs_info`; the step must allow it; note required) or reject (note
    required). Completing an unclaimed task claims it first. 409 if it is no longer
    open or someone else holds it."""
    note = (note or "").strip()
    if decision not in Task.Decision.values:
        raise ApplicationError(field_errors={"decision": [_("Choose approve, return or reject.")]})
    if decision in (Task.Decision.RETURN, Task.Decision.REJECT) and not note:
        raise ApplicationError(
            field_errors={"note": [_("Write a note: the applicant will read it.")]}
        )
    codes = correction_codes or []
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise ApplicationError(field_errors={"correction_codes": [_("A list of codes.")]})
    stored: list[str] = []
    try:
        with transaction.atomic():
            request, task = _lock_task(task)
            roles = _require_worker(user, task)
            if task.status != Task.Status.OPEN:
                raise Conflict(_("This task has already been completed."))
            if task.assigned_to_id not in (None, user.pk):
                raise Conflict(
                    _("This task is claimed by %(user)s.")
                    % {"user": task.assigned_to.get_username()}
                )
            step = task.step
            if request.current_step_id != step.pk:
                raise Conflict(_("The request is no longer at this step."))
            result_type = None
            if decision == Task.Decision.APPROVE:
                if step.produces_result and result_file is None:
                    raise ApplicationError(
                        field_errors={"result": [_("Attach the result document.")]}
                    )
                if result_file is not None and not step.produces_result:
                    raise ApplicationError(
                        field_errors={"result": [_("This step does not produce a result.")]}
                    )
                if result_file is not None:
                    result_type = _check_result_file(result_file)
            elif decision == Task.Decision.RETURN:
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
                        field_errors={
                            "correction_codes": [_("Unknown codes: %s.") % ", ".join(unknown)]
                        }
                    )
            now = _now()
            acting_as = _acting_as_staff(user, task.unit, roles)
            if task.assigned_to_id is None:
                _take(task, user=user, now=now)
                _record(
                    request,
                    kind=RequestEvent.Kind.CLAIMED,
                    actor=user,
                    acting_as=acting_as,
                    from_status=request.status,
                    step=step,
                    task=task,
                    is_transition=False,
                    at=now,
                )
                _start_if_first(request, task, actor=user, acting_as=acting_as, now=now)
            task.status = Task.Status.DONE
            task.decision = decision
            task.note = note
            task.completed_at = now
            task.completed_by = user
            task.save(update_fields=["status", "decision", "note", "completed_at", "completed_by"])
            from_status = request.status
            opened = None
            if decision == Task.Decision.APPROVE:
                if result_file is not None:
                    _store(request.result_document, result_file, result_type, stored)
                next_step = (
                    Step.objects.filter(service_id=request.service_id, order__gt=step.order)
                    .select_related("unit")
                    .order_by("order")
                    .first()
                )
                if next_step is not None:
                    _transition(request.advance, next_step=next_step)
                    request.save()
                    opened = _open_task(request, next_step, now)
                    kind, event_step = RequestEvent.Kind.ADVANCED, next_step
                else:
                    _transition(request.complete, at=now)
                    request.save()
                    kind, event_step = RequestEvent.Kind.COMPLETED, step
            elif decision == Task.Decision.RETURN:
                _transition(request.return_for_correction, codes=codes)
                request.save()
                kind, event_step = RequestEvent.Kind.RETURNED, step
            else:
                _transition(request.reject, at=now)
                request.save()
                kind, event_step = RequestEvent.Kind.REJECTED, step
            flows.flow_step_decided(request)
            _record(
                request,
                kind=kind,
                actor=user,
                acting_as=acting_as,
                from_status=from_status,
                step=event_step,
                task=task,
                note=note,
                opened_task=opened,
                at=now,
            )
    except BaseException:
        _on_rollback_delete(stored)
        raise
    return request


# --- deadlines ---------------------------------------------------------------------------


def supervisors_of(unit_id) -> list:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(
            memberships__unit_id=unit_id,
            memberships__role=StaffMembership.Role.SUPERVISOR,
            is_active=True,
        )
        .distinct()
    )


def tasks_mark_overdue(*, today: datetime.date | None = None) -> int:
    """Flag open tasks past their due date, once each: a staff-side `overdue` history row
    and `task_overdue` (task, supervisors) so the unit's supervisors are told."""
    today = today or _today()
    ids = list(
        Task.objects.filter(status=Task.Status.OPEN, overdue=False, due_date__lt=today)
        .order_by("due_date", "pk")
        .values_list("pk", flat=True)
    )
    marked = 0
    for pk in ids:
        with transaction.atomic():
            task = (
                Task.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related("request", "step", "unit")
                .filter(pk=pk, status=Task.Status.OPEN, overdue=False)
                .first()
            )
            if task is None:
                continue
            now = _now()
            task.overdue = True
            task.overdue_notified_at = now
            task.save(update_fields=["overdue", "overdue_notified_at"])
            request = task.request
            _record(
                request,
                kind=RequestEvent.Kind.OVERDUE,
                from_status=request.status,
                step=task.step,
                task=task,
                note=task.due_date.isoformat(),
                is_transition=False,
                at=now,
            )
            task_overdue.send(sender=Task, task=task, supervisors=supervisors_of(task.unit_id))
            marked += 1
    return marked
