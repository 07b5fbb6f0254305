"""Survey responses and complaints. Keyword-only, one transaction each."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError, Conflict, Forbidden, NotFound
from notifications import services as notifications
from organization.models import Office, StaffMembership, Unit
from organization.phones import normalize_phone
from services_catalog.models import ServiceType
from workflow.deadlines import add_working_days
from workflow.models import RequestStatus
from workflow.selectors import request_by_number

from .links import complaint_access_url
from .models import (
    ELEMENT_CODES,
    Complaint,
    ComplaintAnswer,
    ComplaintStatus,
    LaporHandoff,
    SurveyResponse,
)

COMMENT_MAX = 1000
COMPLAINT_MIN, COMPLAINT_MAX = 10, 5000
ANSWER_MAX = 5000
# SP4N-LAPOR!: the agency follows up within 5 working days (DOMAIN.md section 10).
ANSWER_WORKING_DAYS = 5
# LAPOR! closes a followed-up complaint after 10 working days without reply.
CLOSE_AFTER_WORKING_DAYS = 10
COMPLAINT_WORKER_ROLES = (StaffMembership.Role.STAFF, StaffMembership.Role.SUPERVISOR)
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


# --- survey (SKM) --------------------------------------------------------------------------


def request_digest(request) -> str:
    """A keyed hash of the request: enforces one response per request without keeping a
    link from the response to the request (or the person)."""
    return salted_hmac("feedback.survey", str(request.pk), algorithm="sha256").hexdigest()


def survey_answered(request) -> bool:
    return SurveyResponse.objects.filter(request_digest=request_digest(request)).exists()


def clean_answers(answers) -> dict:
    """{"u1".."u9": 1..4}, every element required; 400 naming each wrong one."""
    if not isinstance(answers, dict):
        raise ApplicationError(
            field_errors={"answers": [_("Give a score from 1 to 4 for each of u1 to u9.")]}
        )
    errors = {}
    unknown = sorted(set(answers) - set(ELEMENT_CODES))
    if unknown:
        errors["answers"] = [_("Unknown elements: %s.") % ", ".join(map(str, unknown))]
    clean = {}
    for code in ELEMENT_CODES:
        value = answers.get(code)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            errors[code] = [_("Choose a score from 1 to 4.")]
        else:
            clean[code] = value
    if errors:
        raise ApplicationError(_("Please answer every question."), field_errors=errors)
    return clean


def survey_submit(
    *, request, answers, comment: str = "", channel: str = "online", acting_user=None
) -> SurveyResponse:
    """Record the applicant's survey for a completed request, once (409 after)."""
    if channel not in SurveyResponse.Channel.values:
        raise ApplicationError(field_errors={"channel": [_("Unknown channel.")]})
    if channel == SurveyResponse.Channel.COUNTER and not is_counter_clerk(
        acting_user, request.office_id
    ):
        raise Forbidden(_("Only a counter clerk of this office may record a survey here."))
    if request.status != RequestStatus.COMPLETED:
        raise Conflict(_("The survey opens once the request is completed."))
    clean = clean_answers(answers)
    comment = comment if isinstance(comment, str) else ""
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise ApplicationError(
            field_errors={"comment": [_("At most %d characters.") % COMMENT_MAX]}
        )
    response = SurveyResponse(
        request_digest=request_digest(request),
        service_id=request.service_id,
        unit_id=request.service.unit_id,
        office_id=request.office_id,
        answered_on=timezone.localdate(),
        channel=channel,
        comment=comment,
        **clean,
    )
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        raise Conflict(_("This request's survey has already been answered. Thank you!")) from None
    return response


def is_counter_clerk(user, office_id) -> bool:
    if not user or not user.is_authenticated:
        return False
    return StaffMembership.objects.filter(
        user=user, role=StaffMembership.Role.CLERK, unit__office_id=office_id
    ).exists()


# --- complaints ----------------------------------------------------------------------------


def _new_tracking_code() -> str:
    return "ADU-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


def complaint_unit_of(office) -> Unit | None:
    """The office's complaint unit, else its PTSP counter, else none."""
    if office.complaint_unit_id:
        return office.complaint_unit
    return Unit.objects.filter(office=office, kind=Unit.Kind.PTSP).order_by("pk").first()


def complaint_submit(
    *,
    text,
    anonymous=False,
    confidential=False,
    contact="",
    name="",
    registration_number="",
    office_code="",
    service_code="",
) -> Complaint:
    """File a complaint: routed to the office's complaint unit, due in 5 working days.
    An anonymous complaint keeps no name."""
    errors = {}
    text = text.strip() if isinstance(text, str) else ""
    if not COMPLAINT_MIN <= len(text) <= COMPLAINT_MAX:
        errors["text"] = [
            _("Describe the complaint in %(min)d to %(max)d characters.")
            % {"min": COMPLAINT_MIN, "max": COMPLAINT_MAX}
        ]
    for flag, value in (("anonymous", anonymous), ("confidential", confidential)):
        if not isinstance(value, bool):
            errors[flag] = [_("Must be true or false.")]
    phone = ""
    if contact not in (None, ""):
        try:
            phone = normalize_phone(contact if isinstance(contact, str) else "")
        except ValidationError as exc:
            errors["contact"] = list(exc.messages)
    name = name.strip()[:200] if isinstance(name, str) else ""
    request = None
    if registration_number not in (None, ""):
        request = (
            request_by_number(registration_number) if isinstance(registration_number, str) else None
        )
        if request is None:
            errors["registration_number"] = [_("No request has this registration number.")]
    office = request.office if request is not None else None
    if office is None and not errors.get("registration_number"):
        office = Office.objects.filter(code=str(office_code or "").upper()).first()
        if office is None:
            errors["office"] = [_("Choose the office the complaint is about.")]
    service = request.service if request is not None else None
    if service is None and service_code:
        service = ServiceType.objects.filter(code=str(service_code), unit__office=office).first()
    unit = complaint_unit_of(office) if office is not None else None
    if office is not None and unit is None:
        errors["office"] = [_("This office does not receive complaints online yet.")]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), field_errors=errors)
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Complaint.objects.create(
                    tracking_code=_new_tracking_code(),
                    office=office,
                    unit=unit,
                    request=request,
                    service=service,
                    text=text,
                    anonymous=anonymous,
                    confidential=confidential,
                    reporter_name="" if anonymous else name,
                    contact_phone=phone,
                    received_at=now,
                    due_date=add_working_days(timezone.localdate(now), ANSWER_WORKING_DAYS),
                )
        except IntegrityError:  # a tracking code collision: draw again
            continue
    raise Conflict(_("Please try again."))


def may_handle(user, complaint) -> bool:
    if not user or not user.is_authenticated:
        return False
    return StaffMembership.objects.filter(
        user=user, unit_id=complaint.unit_id, role__in=COMPLAINT_WORKER_ROLES
    ).exists()


def _lock(complaint, user) -> Complaint:
    locked = Complaint.objects.select_for_update().select_related("office").get(pk=complaint.pk)
    if not may_handle(user, locked):
        raise NotFound()
    return locked


def complaint_answer(*, complaint, user, text, close: bool = False) -> ComplaintAnswer:
    """The complaint unit's answer, shown to the complainant and, when they left a
    WhatsApp number, announced through the outbox."""
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise ApplicationError(field_errors={"text": [_("Write the answer.")]})
    if len(text) > ANSWER_MAX:
        raise ApplicationError(field_errors={"text": [_("At most %d characters.") % ANSWER_MAX]})
    with transaction.atomic():
        complaint = _lock(complaint, user)
        if complaint.status == ComplaintStatus.CLOSED:
            raise Conflict(_("This complaint is closed."))
        now = timezone.now()
        answer = ComplaintAnswer.objects.create(
            complaint=complaint,
            text=text,
            author=user,
            author_unit=complaint.unit.name,
            at=now,
        )
        fields = ["status"]
        complaint.status = ComplaintStatus.CLOSED if close else ComplaintStatus.ANSWERED
        if complaint.answered_at is None:
            complaint.answered_at = now
            fields.append("answered_at")
        if close:
            complaint.closed_at = now
            fields.append("closed_at")
        complaint.save(update_fields=fields)
        if complaint.contact_phone:
            notifications.notice_enqueue(
                kind="complaint_answered",
                recipient=complaint.contact_phone,
                context={
                    "number": complaint.tracking_code,
                    "office": complaint.office.name,
                    "url": complaint_access_url(complaint),
                },
                idempotency_key=f"complaint:{complaint.pk}:answer:{answer.pk}:whatsapp",
            )
    return answer


def complaint_close(*, complaint, user) -> Complaint:
    with transaction.atomic():
        complaint = _lock(complaint, user)
        if complaint.status == ComplaintStatus.CLOSED:
            raise Conflict(_("This complaint is closed."))
        if complaint.answered_at is None:
            raise Conflict(_("Answer the complaint before closing it."))
        complaint.status = ComplaintStatus.CLOSED
        complaint.closed_at = timezone.now()
        complaint.save(update_fields=["status", "closed_at"])
    return complaint


_STAGE_DATES = {
    LaporHandoff.Status.SENT: "sent_on",
    LaporHandoff.Status.FORWARDED: "forwarded_on",
    LaporHandoff.Status.FOLLOWED_UP: "followed_up_on",
    LaporHandoff.Status.CLOSED: "closed_on",
}


def lapor_handoff_update(*, complaint, user, tracking_id: str, status: str) -> LaporHandoff:
    """Record where the complaint stands in SP4N-LAPOR!; the day a stage is first reached
    is stamped (and those before it, when skipped)."""
    tracking_id = (tracking_id or "").strip() if isinstance(tracking_id, str) else ""
    errors = {}
    if status not in LaporHandoff.Status.values:
        errors["status"] = [_("Choose a LAPOR! status.")]
    if len(tracking_id) > 60:
        errors["tracking_id"] = [_("At most 60 characters.")]
    elif status != LaporHandoff.Status.NOT_SENT and not tracking_id:
        errors["tracking_id"] = [_("Give the LAPOR! tracking ID.")]
    if errors:
        raise ApplicationError(_("Please correct the errors below."), field_errors=errors)
    with transaction.atomic():
        complaint = _lock(complaint, user)
        handoff, _created = LaporHandoff.objects.select_for_update().get_or_create(
            complaint=complaint
        )
        today = timezone.localdate()
        order = list(LaporHandoff.Status.values)
        for stage, field in _STAGE_DATES.items():
            if order.index(stage) <= order.index(status) and getattr(handoff, field) is None:
                setattr(handoff, field, today)
        handoff.tracking_id = tracking_id
        handoff.status = status
        handoff.updated_by = user
        handoff.save()
    return handoff
