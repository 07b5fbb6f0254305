"""The applicant's side of a request: submit, resubmit after a return, cancel."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError, Conflict, Forbidden, PayloadTooLarge
from config.transactional_files import files_follow_transaction
from services_catalog.models import ServiceType

from .. import flows, roles
from ..deadlines import add_working_days
from ..models import Channel, Document, RequestEvent, RequestStatus, ServiceRequest, Task
from ..numbers import allocate_registration_number, key_of
from ..validation import clean_applicant, clean_data, clean_documents
from ._common import (
    lock_request,
    now,
    open_task,
    record,
    store,
    transition,
)


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


def request_due_date(service, from_day):
    """The service standard's promise: `sla_working_days` working days from `from_day`."""
    return add_working_days(from_day, service.sla_working_days)


def service_request_submit(
    *,
    service: ServiceType,
    applicant: dict,
    data: dict,
    documents: dict,
    channel: str | None = None,
    acting_user=None,
) -> ServiceRequest:
    """Create a request in `submitted` with its number, access token, documents, the task
    of step 1 and its history row, in one transaction; announce the transition.

    `channel` None: decided from `acting_user` (`roles.submission_channel`: a counter
    clerk registers at the counter). A counter submission needs a clerk of the service's
    office; an online one records no actor.
    """
    applicant_user = None
    if service is not None and service.audience == ServiceType.Audience.EMPLOYEES:
        # An internal service: the applicant is the logged-in employee, nobody else.
        employee = roles.employee_of(acting_user)
        if employee is None:
            raise Forbidden(_("Only an employee with an account may apply for this service."))
        if applicant not in (None, {}):
            raise ApplicationError(
                field_errors={"applicant": [_("The applicant is the logged-in employee.")]}
            )
        applicant = {"name": employee.name, "phone": employee.phone, "email": employee.email}
        channel, applicant_user = Channel.INTERNAL, acting_user
    if channel is None:
        channel = roles.submission_channel(acting_user)
    if channel not in Channel.values:
        raise ApplicationError(field_errors={"channel": [_("Unknown channel.")]})
    if channel == Channel.COUNTER:
        roles.check_counter_clerk(acting_user, service=service)
    elif channel != Channel.INTERNAL:
        acting_user = None
    clean_app, clean_answers, docs = service_request_validate(
        service=service, applicant=applicant, data=data, documents=documents
    )
    steps = sorted(service.steps.all(), key=lambda s: s.order)
    if not steps:
        raise ApplicationError(_("This service has no steps configured yet."))
    office = service.unit.office
    with files_follow_transaction():
        at = now()
        # Files first: from the number on, the office's counter row stays locked until
        # commit, and every other submission to the office waits for it.
        stored = _stored_documents(docs)
        number = allocate_registration_number(office=office, on=timezone.localdate(at))
        request = ServiceRequest(
            service=service,
            office=office,
            registration_number=number,
            registration_key=key_of(number),
            channel=channel,
            submitted_by=acting_user if channel == Channel.COUNTER else None,
            applicant_user=applicant_user,
            applicant_name=clean_app["name"],
            applicant_phone=clean_app["phone"],
            applicant_nik=clean_app["nik"],
            applicant_email=clean_app["email"],
            data=clean_answers,
        )
        request.submit(
            first_step=steps[0],
            at=at,
            due_date=request_due_date(service, timezone.localdate(at)),
        )
        request.save()
        _save_documents(request, stored)
        task = open_task(request, steps[0], at)
        flows.flow_started(request, opened=task)
        if channel == Channel.COUNTER:
            # The clerk's own unit (the PTSP), not the unit responsible for the service.
            counter = roles.clerk_unit(acting_user, office_id=office.pk)
            acting_as = roles.acting_as_staff(acting_user, counter, {roles.Role.CLERK})
        else:
            acting_as = _("Applicant")
        record(
            request,
            kind=RequestEvent.Kind.SUBMITTED,
            actor=acting_user,
            acting_as=acting_as,
            step=steps[0],
            task=task,
            opened_task=task,
            at=at,
        )
    return request


def _stored_documents(docs) -> list[Document]:
    """Each cleaned upload stored (under `files_follow_transaction()`) as an unsaved row."""
    rows = []
    for doc in docs:
        row = Document(
            code=doc.spec.code,
            original_name=doc.original_name,
            content_type=doc.content_type,
            size=doc.size,
            sha256=doc.sha256,
        )
        store(row.file, doc.file, doc.content_type)
        rows.append(row)
    return rows


def _save_documents(request, rows: list[Document]) -> None:
    """The rows of `_stored_documents`, for `request`, in one INSERT."""
    for row in rows:
        row.request = request
    if rows:
        Document.objects.bulk_create(rows)


def _changed_codes(request, clean_answers, documents) -> set[str]:
    return {
        code
        for code in set(clean_answers) | set(request.data)
        if clean_answers.get(code) != request.data.get(code)
    } | set(documents)


def service_request_resubmit(
    *,
    request: ServiceRequest,
    data: dict,
    documents: dict,
    applicant=None,
    service=None,
    acting_user=None,
) -> ServiceRequest:
    """The applicant's correction after a return: back into the same step, a new task.

    Only the codes the office named (`correction_codes`) may change when it named any;
    replaced documents are kept, marked superseded. The identity (`applicant`, `service`)
    cannot change: sending either is refused (400).
    """
    if applicant is not None or service is not None:
        raise ApplicationError(
            field_errors={"applicant": [_("The applicant and the service cannot be changed here.")]}
        )
    data = {} if data is None else data
    documents = documents or {}
    if not isinstance(data, dict):
        raise ApplicationError(
            field_errors={"data": [_("The form data must be an object of field codes.")]}
        )
    with files_follow_transaction():
        request = lock_request(request)
        if request.status != RequestStatus.NEEDS_INFO:
            raise Conflict(_("Only a request returned for correction can be resubmitted."))
        catalogue = request.service
        allowed = set(request.correction_codes or [])
        clean_answers, errors = clean_data(catalogue, {**request.data, **data})
        current_docs = {d.code: d for d in request.documents.filter(superseded=False)}
        docs, doc_errors, too_large = clean_documents(
            catalogue, documents, present=frozenset(current_docs)
        )
        if too_large:
            raise PayloadTooLarge(field_errors=too_large)
        errors.update(doc_errors)
        if allowed:
            for code in sorted(_changed_codes(request, clean_answers, documents) - allowed):
                errors.setdefault(code, []).append(
                    _("The office did not ask for this to be changed.")
                )
            # A document the office asked to be corrected needs a new file: keeping the
            # old one is not a correction.
            asked_docs = allowed & {d.code for d in catalogue.documents.all()}
            for code in sorted(asked_docs - {d.spec.code for d in docs}):
                if code not in errors:
                    errors[code] = [_("The office asked for a new file: choose one.")]
        if errors:
            raise ApplicationError(_("Please correct the errors below."), field_errors=errors)
        at = now()
        replaced = [current_docs[d.spec.code].pk for d in docs if d.spec.code in current_docs]
        if replaced:
            Document.objects.filter(pk__in=replaced).update(superseded=True)
        _save_documents(request, _stored_documents(docs))
        from_status = request.status
        request.data = clean_answers
        transition(request.resubmit, due_date=request_due_date(catalogue, timezone.localdate(at)))
        request.save()
        task = open_task(request, request.current_step, at)
        flows.flow_resubmitted(request, opened=task)
        record(
            request,
            kind=RequestEvent.Kind.RESUBMITTED,
            actor=acting_user,
            acting_as=_("Applicant"),
            from_status=from_status,
            step=request.current_step,
            task=task,
            opened_task=task,
            at=at,
        )
    return request


def _close_open_task(request, at) -> Task | None:
    task = Task.objects.select_for_update().filter(request=request, status=Task.Status.OPEN).first()
    if task is not None:
        task.status = Task.Status.CANCELLED
        task.completed_at = at
        task.save(update_fields=["status", "completed_at"])
    return task


def service_request_cancel(
    *, request: ServiceRequest, acting_user=None, note: str = ""
) -> ServiceRequest:
    """The applicant withdraws the request (any time before it is finished)."""
    with transaction.atomic():
        request = lock_request(request)
        if request.is_final:
            raise Conflict(_("A finished request cannot be cancelled."))
        from_status = request.status
        at = now()
        transition(request.cancel, at=at)
        request.save()
        task = _close_open_task(request, at)
        flows.flow_cancelled(request)
        record(
            request,
            kind=RequestEvent.Kind.CANCELLED,
            actor=acting_user,
            acting_as=_("Applicant"),
            from_status=from_status,
            step=request.current_step,
            task=task,
            note=(note or "").strip(),
            at=at,
        )
    return request
