"""Service requests, their documents, staff tasks and history.

A request's status is a protected django-fsm field: only the `@transition` methods
change it, and only `workflow.services` calls them (inside `transaction.atomic`).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from organization.models import Office, Unit
from services_catalog.models import ServiceType, Step


def new_access_token() -> str:
    return secrets.token_urlsafe(32)


class RequestStatus(models.TextChoices):
    # Source strings in English; Bahasa Indonesia (the default) in workflow/locale/id:
    # Diterima, Diproses, Perlu perbaikan, Selesai, Ditolak, Dibatalkan.
    SUBMITTED = "submitted", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    NEEDS_INFO = "needs_info", _("Needs correction")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


FINAL_STATUSES = {RequestStatus.COMPLETED, RequestStatus.REJECTED, RequestStatus.CANCELLED}


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("PTSP counter")
    INTERNAL = "internal", _("Internal (an employee)")


class ServiceRequest(ConcurrentTransitionMixin, models.Model):
    service = models.ForeignKey(
        ServiceType, models.PROTECT, related_name="requests", verbose_name=_("service")
    )
    office = models.ForeignKey(
        Office, models.PROTECT, related_name="requests", verbose_name=_("office")
    )
    registration_number = models.CharField(_("registration number"), max_length=32, unique=True)
    # The number without separators: what a typed number is looked up by.
    registration_key = models.CharField(max_length=32, unique=True, editable=False)
    access_token = models.CharField(max_length=64, unique=True, default=new_access_token)
    status = FSMField(
        _("status"),
        default=RequestStatus.SUBMITTED,
        choices=RequestStatus.choices,
        protected=True,
        db_index=True,
    )
    current_step = models.ForeignKey(
        Step,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current step"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
        help_text=_("The counter clerk who registered a walk-in request."),
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="internal_requests",
        help_text=_("The employee who applied for an internal service."),
    )
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    applicant_phone = models.CharField(_("applicant phone (E.164)"), max_length=20)
    applicant_nik = models.CharField(_("NIK"), max_length=16, blank=True)
    applicant_email = models.EmailField(_("applicant email"), blank=True)
    data = models.JSONField(_("form data"), default=dict)
    # What the office asked the applicant to fix (field/document codes); empty: anything.
    correction_codes = models.JSONField(_("to be corrected"), default=list, blank=True)
    # While returned: the last day a correction is accepted (the service's correction_days).
    correction_due_date = models.DateField(_("correct by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    due_date = models.DateField(_("expected completion"))
    completed_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    result_document = models.FileField(_("result document"), upload_to="results/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["service", "status"])]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")

    def __str__(self):
        return self.registration_number

    # --- transitions: fields only, no I/O; `workflow.services` calls them in atomic() ---

    @transition(field=status, source=RequestStatus.SUBMITTED, target=RequestStatus.SUBMITTED)
    def submit(self, *, first_step, at, due_date):
        self.current_step = first_step
        self.submitted_at = at
        self.due_date = due_date

    @transition(field=status, source=RequestStatus.SUBMITTED, target=RequestStatus.IN_PROGRESS)
    def start(self):
        """The first claim (or assignment) of step 1."""

    @transition(
        field=status,
        source=[RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS],
        target=RequestStatus.IN_PROGRESS,
    )
    def advance(self, *, next_step):
        self.current_step = next_step

    @transition(
        field=status,
        source=[RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS],
        target=RequestStatus.NEEDS_INFO,
        conditions=[lambda r: r.current_step is not None and r.current_step.may_return],
    )
    def return_for_correction(self, *, codes, correct_by):
        self.correction_codes = list(codes or [])
        self.correction_due_date = correct_by

    @transition(field=status, source=RequestStatus.NEEDS_INFO, target=RequestStatus.IN_PROGRESS)
    def resubmit(self, *, due_date):
        self.correction_codes = []
        self.correction_due_date = None
        self.due_date = due_date

    @transition(field=status, source=RequestStatus.NEEDS_INFO, target=RequestStatus.CANCELLED)
    def close_unanswered(self, *, at):
        """No correction by `correction_due_date` (the flow's timer): closed as cancelled."""
        self.completed_at = at

    @transition(
        field=status,
        source=[RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS],
        target=RequestStatus.REJECTED,
    )
    def reject(self, *, at):
        self.completed_at = at

    @transition(
        field=status,
        source=[RequestStatus.SUBMITTED, RequestStatus.IN_PROGRESS, RequestStatus.NEEDS_INFO],
        target=RequestStatus.CANCELLED,
    )
    def cancel(self, *, at):
        self.completed_at = at

    @transition(field=status, source=RequestStatus.IN_PROGRESS, target=RequestStatus.COMPLETED)
    def complete(self, *, at):
        self.current_step = None
        self.completed_at = at

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class Document(models.Model):
    """An uploaded document. A replacement supersedes, never deletes, the earlier upload."""

    request = models.ForeignKey(ServiceRequest, models.CASCADE, related_name="documents")
    code = models.SlugField(max_length=60)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["code", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "code"],
                condition=models.Q(superseded=False),
                name="one_current_document_per_code",
            )
        ]

    def __str__(self):
        return f"{self.code}: {self.original_name}"


class Task(models.Model):
    """A step of a request waiting for (or done by) staff of the step's unit."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Approve")
        RETURN = "return", _("Return for correction")
        REJECT = "reject", _("Reject")

    request = models.ForeignKey(
        ServiceRequest, models.CASCADE, related_name="tasks", verbose_name=_("service request")
    )
    step = models.ForeignKey(Step, models.PROTECT, related_name="tasks", verbose_name=_("step"))
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="tasks", verbose_name=_("unit"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # A step routed to the applicant's superior: the position, whoever acts for it on the
    # day of the action (PLT/PLH rule) works the task.
    position = models.ForeignKey(
        "organization.Position",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("position"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    created_at = models.DateTimeField(_("created at"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    due_date = models.DateField(_("due date"))
    overdue = models.BooleanField(_("overdue"), default=False)
    overdue_notified_at = models.DateTimeField(_("overdue notice sent"), null=True, blank=True)
    completed_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finished by"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [
            models.Index(fields=["unit", "status", "due_date"]),
            models.Index(fields=["assigned_to", "status"]),
            # The staff queue reads tasks routed to a position (PLT/PLH) by this: open
            # ones only, however many a position has decided over the years.
            models.Index(
                fields=["position"], condition=models.Q(status="open"), name="task_open_position"
            ),
            # The staff queue: a unit's open tasks in the tab's order, with what its tabs
            # test (assignee, step, overdue), so a page is the first entries of an
            # index-only scan and a count never visits the table.
            models.Index(
                fields=["unit", "due_date", "created_at", "id"],
                include=["assigned_to", "step", "overdue"],
                condition=models.Q(status="open"),
                name="task_open_unit_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="open"),
                name="one_open_task_per_request",
            )
        ]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self):
        return f"{self.request_id} step {self.step_id} ({self.status})"


class RequestEvent(models.Model):
    """History of a request. `is_transition` rows are public (the applicant's timeline);
    claims, releases and assignments are staff-side only."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        STARTED = "started", _("Processing started")
        ADVANCED = "advanced", _("Moved to the next step")
        RETURNED = "returned", _("Returned for correction")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        COMPLETED = "completed", _("Completed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        CLOSED_UNANSWERED = "closed_unanswered", _("Closed: no correction in time")
        CLAIMED = "claimed", _("Claimed")
        RELEASED = "released", _("Released")
        ASSIGNED = "assigned", _("Assigned")
        OVERDUE = "overdue", _("Overdue")

    request = models.ForeignKey(ServiceRequest, models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_transition = models.BooleanField(default=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acting_as = models.CharField(max_length=200, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, choices=RequestStatus.choices)
    step = models.ForeignKey(Step, models.PROTECT, null=True, blank=True, related_name="+")
    task = models.ForeignKey(Task, models.SET_NULL, null=True, blank=True, related_name="events")
    # `note` is for the applicant (and staff) only; `public_note` is what staff chose to
    # publish on the public timeline with their decision (CONTRACT.md section 3).
    note = models.TextField(blank=True)
    public_note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["request", "at"])]

    def __str__(self):
        return f"{self.request_id} {self.kind} at {self.at:%Y-%m-%d %H:%M}"


class IdempotencyKey(models.Model):
    """One row per `Idempotency-Key` of a submission: exactly one request per key.

    The row is inserted in the submission's own transaction, so a concurrent duplicate
    waits on the unique index and then replays the stored response.
    """

    key = models.CharField(max_length=255, unique=True)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    request = models.ForeignKey(
        ServiceRequest, models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self):
        return self.key


class RegistrationCounter(models.Model):
    """Last registration sequence handed out per office per year (row-locked on use)."""

    office = models.ForeignKey(Office, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year"],
                name="one_registration_counter_per_office_year",
            )
        ]

    def __str__(self):
        return f"{self.office_id}/{self.year}: {self.last}"
