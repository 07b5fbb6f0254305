"""Citizens' feedback after the result: the satisfaction survey (SKM, PermenPANRB 14/2017)
and complaints (pengaduan) with their SP4N-LAPOR! hand-off record."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organization.models import Office, Unit
from services_catalog.models import ServiceType
from workflow.models import ServiceRequest

# The nine survey elements (unsur), in the regulation's order (DOMAIN.md section 9).
ELEMENTS = (
    ("u1", _("Requirements")),
    ("u2", _("Systems, mechanisms and procedures")),
    ("u3", _("Completion time")),
    ("u4", _("Fee/tariff")),
    ("u5", _("Product as specified for the service")),
    ("u6", _("Competence of the staff")),
    ("u7", _("Behaviour of the staff")),
    ("u8", _("Handling of complaints, suggestions and feedback")),
    ("u9", _("Facilities and infrastructure")),
)
ELEMENT_CODES = tuple(code for code, _label in ELEMENTS)


class Score(models.IntegerChoices):
    POOR = 1, _("Not good / not appropriate")
    FAIR = 2, _("Less good / less appropriate")
    GOOD = 3, _("Good / appropriate")
    EXCELLENT = 4, _("Very good / very appropriate")


def _score_field(label):
    return models.PositiveSmallIntegerField(label, choices=Score.choices)


class SurveyResponse(models.Model):
    """One SKM response. It keeps no link to the request or the person: only a keyed hash
    of the request (one response per request) and what the results are grouped by."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online (WhatsApp link)")
        COUNTER = "counter", _("PTSP counter")

    request_digest = models.CharField(max_length=64, unique=True, editable=False)
    service = models.ForeignKey(ServiceType, models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+")
    office = models.ForeignKey(Office, models.PROTECT, related_name="+")
    # The day only: a timestamp would let anyone with the request history match them.
    answered_on = models.DateField(_("answered on"), db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    u1 = _score_field(ELEMENTS[0][1])
    u2 = _score_field(ELEMENTS[1][1])
    u3 = _score_field(ELEMENTS[2][1])
    u4 = _score_field(ELEMENTS[3][1])
    u5 = _score_field(ELEMENTS[4][1])
    u6 = _score_field(ELEMENTS[5][1])
    u7 = _score_field(ELEMENTS[6][1])
    u8 = _score_field(ELEMENTS[7][1])
    u9 = _score_field(ELEMENTS[8][1])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-answered_on", "-pk"]
        indexes = [models.Index(fields=["office", "answered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{code}__gte": 1, f"{code}__lte": 4}),
                name=f"survey_{code}_1_to_4",
            )
            for code in ELEMENT_CODES
        ]
        verbose_name = _("survey response (SKM)")
        verbose_name_plural = _("survey responses (SKM)")

    def __str__(self):
        return f"SKM {self.office_id} {self.answered_on}"


def new_complaint_token() -> str:
    return secrets.token_urlsafe(32)


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Complaint(models.Model):
    """A complaint (pengaduan), routed to the office's complaint unit.

    `anonymous`: the office never sees who sent it (name, contact and the linked request
    are hidden on every staff page and API). `confidential`: its text is never public and
    it is handed to SP4N-LAPOR! as *rahasia*.
    """

    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    access_token = models.CharField(max_length=64, unique=True, default=new_complaint_token)
    office = models.ForeignKey(Office, models.PROTECT, related_name="complaints")
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="complaints", verbose_name=_("complaint unit")
    )
    request = models.ForeignKey(
        ServiceRequest, models.SET_NULL, null=True, blank=True, related_name="complaints"
    )
    service = models.ForeignKey(
        ServiceType, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("complaint"))
    anonymous = models.BooleanField(_("anonymous"), default=False)
    confidential = models.BooleanField(_("confidential"), default=False)
    reporter_name = models.CharField(_("name"), max_length=200, blank=True)
    contact_phone = models.CharField(_("WhatsApp number (E.164)"), max_length=20, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
        db_index=True,
    )
    received_at = models.DateTimeField(_("received at"))
    due_date = models.DateField(_("answer due"))
    answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["unit", "status", "due_date"])]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self):
        return self.tracking_code


class ComplaintAnswer(models.Model):
    """The office's answer (tindak lanjut), shown to the complainant."""

    complaint = models.ForeignKey(Complaint, models.CASCADE, related_name="answers")
    text = models.TextField(_("answer"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    author_unit = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.complaint_id} {self.at:%Y-%m-%d}"


class LaporHandoff(models.Model):
    """Where the complaint stands in SP4N-LAPOR! (filled in by staff: LAPOR!'s integration
    API is only open to agencies' developer accounts). DOMAIN.md section 10."""

    class Status(models.TextChoices):
        NOT_SENT = "not_sent", _("Not sent")
        SENT = "sent", _("Sent to LAPOR!")
        FORWARDED = "forwarded_to_agency", _("Forwarded to the agency")
        FOLLOWED_UP = "followed_up", _("Followed up")
        CLOSED = "closed", _("Closed")

    complaint = models.OneToOneField(Complaint, models.CASCADE, related_name="lapor")
    tracking_id = models.CharField(_("LAPOR! tracking ID"), max_length=60, blank=True)
    status = models.CharField(
        _("LAPOR! status"), max_length=20, choices=Status.choices, default=Status.NOT_SENT
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self):
        return f"{self.tracking_id or '-'} ({self.status})"
