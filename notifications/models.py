"""The WhatsApp outbox.

A `Message` row is written in the same transaction as the request transition it
announces (one row per recipient, unique idempotency key), then delivered after commit
by `notifications.tasks.deliver_message`. Its status only ever moves forward; see
`STATUS_RANK` and `services.message_status_apply`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services_catalog.models import ServiceType
from skp.models import EvaluationEvent, SkpEvent
from workflow.models import RequestEvent, ServiceRequest, Task


class MessageKind(models.TextChoices):
    SUBMITTED = "submitted", _("Request received")
    STEP_STARTED = "step_started", _("Step started")
    RETURNED = "returned", _("Returned for correction")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED_UNANSWERED = "closed_unanswered", _("Closed: no correction in time")
    OVERDUE = "overdue", _("Overdue reminder (staff)")
    SKP_SUBMITTED = "skp_submitted", _("SKP submitted (pejabat penilai)")
    SKP_RETURNED = "skp_returned", _("SKP returned for revision")
    SKP_APPROVED = "skp_approved", _("SKP approved")
    SKP_REOPENED = "skp_reopened", _("SKP reopened for revision")
    SKP_EVAL_SUBMITTED = "skp_eval_submitted", _("SKP evaluation submitted (pejabat penilai)")
    SKP_EVAL_RETURNED = "skp_eval_returned", _("SKP evaluation returned")
    SKP_EVAL_RATED = "skp_eval_rated", _("SKP evaluation rated")
    SKP_PERIOD_LOCKED = "skp_period_locked", _("Payment period locked")
    COMPLAINT_ANSWERED = "complaint_answered", _("Complaint answered")


# SKP messages use the default texts only: an office's MessageTemplate is for requests.
REQUEST_KINDS = [
    (value, label)
    for value, label in MessageKind.choices
    if not value.startswith(("skp_", "complaint_"))
]


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    UNDELIVERED = "undelivered", _("Undelivered")
    FAILED = "failed", _("Failed")


# Forward-only order. `undelivered` sits below `delivered`: a late delivery receipt (or a
# read receipt) is proof the message arrived, so it may still move an undelivered row on.
# `failed` is terminal: Twilio never handed the message to WhatsApp (or we gave up).
STATUS_RANK = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.UNDELIVERED: 3,
    MessageStatus.DELIVERED: 4,
    MessageStatus.READ: 5,
}


def statuses_before(status: str) -> list[str]:
    """The statuses a row may be in for `status` to be a forward move."""
    if status == MessageStatus.FAILED:
        return [MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT]
    rank = STATUS_RANK[status]
    return [s for s, r in STATUS_RANK.items() if r < rank]


class Message(models.Model):
    class Channel(models.TextChoices):
        WHATSAPP = "whatsapp", _("WhatsApp")

    request = models.ForeignKey(
        ServiceRequest,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("request"),
    )
    event = models.ForeignKey(
        RequestEvent, models.CASCADE, null=True, blank=True, related_name="messages"
    )
    task = models.ForeignKey(Task, models.SET_NULL, null=True, blank=True, related_name="+")
    # An SKP transition's message (then `request` and `event` are empty).
    skp_event = models.ForeignKey(
        SkpEvent,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("SKP event"),
    )
    # An SKP evaluation's transition (submit, return, rate).
    evaluation_event = models.ForeignKey(
        EvaluationEvent,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("evaluation event"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    recipient = models.CharField(_("recipient (E.164)"), max_length=20)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WHATSAPP)
    language = models.CharField(max_length=8, default="id")
    body = models.TextField(_("text"))
    content_sid = models.CharField(_("approved template (content SID)"), max_length=64, blank=True)
    content_variables = models.JSONField(default=dict, blank=True)
    # (request, transition, recipient, channel): a replayed signal or a retried
    # transaction cannot queue the same message twice.
    idempotency_key = models.CharField(max_length=200, unique=True)

    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MessageStatus.choices,
        default=MessageStatus.QUEUED,
        db_index=True,
    )
    backend = models.CharField(_("channel backend"), max_length=20, blank=True)
    provider_sid = models.CharField(
        _("provider message id"), max_length=64, null=True, blank=True, unique=True
    )
    error_code = models.CharField(_("error code"), max_length=20, blank=True)
    error_message = models.CharField(_("error"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["request", "created_at"]),
        ]
        verbose_name = _("WhatsApp message")
        verbose_name_plural = _("WhatsApp messages")

    def __str__(self):
        return f"{self.kind} to {self.recipient} ({self.status})"

    @property
    def is_failed(self) -> bool:
        return self.status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED)


class DeliveryAttempt(models.Model):
    """One try at handing a message to the channel, whatever came of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("In flight")
        ACCEPTED = "accepted", _("Accepted")
        TRANSIENT = "transient", _("Temporary error")
        PERMANENT = "permanent", _("Permanent error")
        UNKNOWN = "unknown", _("Outcome unknown")

    message = models.ForeignKey(Message, models.CASCADE, related_name="delivery_attempts")
    number = models.PositiveSmallIntegerField()
    backend = models.CharField(max_length=20)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    provider_sid = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=20, blank=True)
    error_message = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["message", "number"]

    def __str__(self):
        return f"{self.message_id} #{self.number}: {self.outcome}"


class StatusCallback(models.Model):
    """Every signed Twilio status callback received, applied or not (audit)."""

    message = models.ForeignKey(
        Message, models.CASCADE, null=True, blank=True, related_name="callbacks"
    )
    provider_sid = models.CharField(max_length=64)
    provider_status = models.CharField(max_length=20)
    error_code = models.CharField(max_length=20, blank=True)
    applied = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self):
        return f"{self.provider_sid} {self.provider_status}"


class Contact(models.Model):
    """A WhatsApp number that wrote to us: WhatsApp lets a business answer free-form
    only within 24 hours of the person's last message."""

    phone = models.CharField(max_length=20, unique=True)
    last_inbound_at = models.DateTimeField()

    def __str__(self):
        return self.phone


class MessageTemplate(models.Model):
    """An office's own wording for one kind of message (defaults live in
    `notifications.texts`). A template for a service type wins over a general one."""

    service = models.ForeignKey(
        ServiceType,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="message_templates",
        verbose_name=_("service type"),
        help_text=_("Empty: used for every service type without its own template."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=REQUEST_KINDS)
    language = models.CharField(
        _("language"), max_length=8, choices=[("id", "Bahasa Indonesia"), ("en", "English")]
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "Django template text. Variables: {{ number }}, {{ service }}, {{ step }}, "
            "{{ note }}, {{ due_date }}, {{ status }}, {{ tracking_url }}, {{ applicant_url }}, "
            "{{ office }}, {{ product }}. It must contain {{ number }}."
        ),
    )
    content_sid = models.CharField(
        _("approved template (content SID)"),
        max_length=64,
        blank=True,
        help_text=_(
            "Twilio Content SID (HX...) of a WhatsApp-approved template, used outside the "
            "24-hour window. Its variables: 1 number, 2 service, 3 step, 4 note, 5 link, "
            "6 due date."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        constraints = [
            # Two partial constraints rather than nulls_distinct=False, which SQLite (the
            # development database) cannot enforce.
            models.UniqueConstraint(
                fields=["service", "kind", "language"],
                condition=models.Q(service__isnull=False),
                name="message_template_per_service_kind_language",
            ),
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=models.Q(service__isnull=True),
                name="message_template_default_per_kind_language",
            ),
        ]
        ordering = ["service__name", "kind", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from notifications.texts import check_template

        error = check_template(self.body)
        if error:
            raise ValidationError({"body": error})
