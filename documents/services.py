"""Issuing, registering and revoking result documents. Keyword-only, one transaction each.

A generated letter goes through the workflow's own result step: `result_letter_issue`
renders and signs the letter, then approves the task with it through
`workflow.services.task_complete` (the same call an upload makes), all in one
transaction, so a refused approval gives the letter number back and stores nothing.
"""

import datetime
import hashlib
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError, Conflict, Forbidden
from config.transactional_files import file_written, files_follow_transaction
from organization.models import StaffMembership
from organization.selectors import official_for_position
from workflow import services as workflow_services
from workflow.models import Task

from . import letters, signing, stamping
from .models import (
    DEFAULT_NUMBER_PATTERN,
    IssuedDocument,
    LetterCounter,
    LetterNumbering,
    LetterTemplate,
    new_verification_code,
)

REVOCATION_REASON_MAX = 1000


def letter_number_allocate(*, office, classification: str, on: datetime.date) -> str:
    """The office's next letter number in the year of `on`. Call inside a transaction:
    the counter row stays locked until commit and a rollback gives the number back."""
    assert transaction.get_connection().in_atomic_block, "allocate inside a transaction"
    LetterCounter.objects.bulk_create(
        [LetterCounter(office=office, year=on.year, last=0)], ignore_conflicts=True
    )
    counter = LetterCounter.objects.select_for_update().get(office=office, year=on.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    scheme = LetterNumbering.objects.filter(office=office).first()
    pattern = scheme.pattern if scheme else DEFAULT_NUMBER_PATTERN
    return letters.format_letter_number(
        pattern, seq=counter.last, office=office, classification=classification, on=on
    )


def signatory_of(template: LetterTemplate, *, on: datetime.date) -> letters.Signatory:
    """Whoever acts for the template's signing position on the day, with the PLT/PLH label
    (organization's rule); 400 when the position is vacant."""
    official = official_for_position(position=template.signing_position, on=on)
    if official is None:
        raise ApplicationError(
            _("Nobody holds or acts for %(position)s today: the letter cannot be signed.")
            % {"position": template.signing_position.name}
        )
    return letters.Signatory(
        name=official.employee.name,
        nip=official.employee.nip,
        title=official.acting_as or official.position.name,
    )


def template_for(service) -> LetterTemplate | None:
    return (
        LetterTemplate.objects.select_related("signing_position__unit")
        .filter(service=service, is_active=True)
        .first()
    )


def result_letter_issue(*, task: Task, user, note: str = "") -> IssuedDocument:
    """Generate, number and sign the result letter of the task's request and approve the
    task with it. The workflow checks who may decide (404/403/409 as for an upload)."""
    step = task.step
    request = task.request
    if not step.produces_result:
        raise ApplicationError(_("This step does not produce a result."))
    template = template_for(request.service)
    if template is None:
        raise ApplicationError(_("This service has no result letter template."))
    with files_follow_transaction():  # the outermost block: the letter's file follows it
        today = timezone.localdate()
        now = timezone.now()
        signatory = signatory_of(template, on=today)
        number = letter_number_allocate(
            office=request.office, classification=template.classification, on=today
        )
        code = new_verification_code()
        content = letters.letter_content(
            template=template,
            request=request,
            number=number,
            on=today,
            signatory=signatory,
            code=code,
        )
        signed = signing.sign_pdf(
            letters.render_letter_pdf(content),
            office=request.office,
            reason=f"{template.title} {number}",
            signer_name=signatory.name,
        )
        document = IssuedDocument.objects.create(
            code=code,
            kind=IssuedDocument.Kind.LETTER,
            request=request,
            office=request.office,
            title=template.title,
            letter_number=number,
            signer_name=signatory.name,
            signer_title=signatory.title,
            sha256=hashlib.sha256(signed).hexdigest(),
            size=len(signed),
            issued_at=now,
            issued_by=user,
        )
        workflow_services.task_complete(
            task=task,
            user=user,
            decision=Task.Decision.APPROVE,
            note=note,
            result_file=ContentFile(signed, name=f"{code}.pdf"),
        )
    return document


def upload_register(*, request, step, actor=None) -> IssuedDocument | None:
    """Give an uploaded result a verification record, once per file. Called inside the
    transition that stored it; a generated letter is already known.

    An unsigned PDF gets the verification sheet (QR code, code) as its last page
    (`stamping`), written under a new name that follows the transaction; the record keeps the
    SHA-256 of the file the applicant downloads. Other files are kept as uploaded."""
    field = request.result_document
    if not field or not step.produces_result:
        return None
    with field.open("rb") as handle:
        content = handle.read()
    sha256 = hashlib.sha256(content).hexdigest()
    if IssuedDocument.objects.filter(request=request, sha256=sha256).exists():
        return None
    code = new_verification_code()
    title = request.service.product[:300]
    now = timezone.now()
    stamped = stamping.with_verification_sheet(
        content, office=request.office, code=code, title=title, issued_at=now
    )
    if stamped is not None:
        content = stamped
        _result_replace(request, stamped)
    return IssuedDocument.objects.create(
        code=code,
        kind=IssuedDocument.Kind.UPLOAD,
        request=request,
        office=request.office,
        title=title,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        issued_at=now,
        issued_by=actor,
    )


def _result_replace(request, content: bytes) -> None:
    """Store the stamped result under a new random name and point the request at it.
    Only the file column changes (an update, not a save of the workflow's row). The copy
    follows the transaction (it is deleted again should the approval roll back); the
    upload's own file is removed once the transaction commits."""
    field = request.result_document
    old_name, storage = field.name, field.storage
    new_name = storage.save(
        field.field.generate_filename(request, f"{uuid.uuid4().hex}.pdf"), ContentFile(content)
    )
    file_written(storage, new_name)
    type(request).objects.filter(pk=request.pk).update(result_document=new_name)
    field.name = new_name
    transaction.on_commit(lambda: storage.delete(old_name))


def may_revoke(user, document: IssuedDocument) -> bool:
    """Superusers, and supervisors of a unit of the issuing office."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return StaffMembership.objects.filter(
        user=user, role=StaffMembership.Role.SUPERVISOR, unit__office_id=document.office_id
    ).exists()


def document_revoke(*, document: IssuedDocument, user, reason: str) -> IssuedDocument:
    """Withdraw a document: verification answers `valid: false` from now on. Final."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(field_errors={"reason": [_("Give the reason for revoking.")]})
    if len(reason) > REVOCATION_REASON_MAX:
        raise ApplicationError(
            field_errors={"reason": [_("At most %d characters.") % REVOCATION_REASON_MAX]}
        )
    with transaction.atomic():
        document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if not may_revoke(user, document):
            raise Forbidden(_("Only a supervisor of the issuing office may revoke documents."))
        if document.revoked_at is not None:
            raise Conflict(_("This document has already been revoked."))
        document.revoked_at = timezone.now()
        document.revoked_by = user
        document.revocation_reason = reason
        document.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return document
