"""SKP (Sasaran Kinerja Pegawai): a civil servant's annual performance targets and
their validation by the *pejabat penilai*.

The status is a protected django-fsm field: only the `@transition` methods change it,
and only `skp.services` calls them (inside `transaction.atomic`, holding a row lock).
The identity of the employee and of the pejabat penilai is copied into the document
when it is submitted (and the approver's again when approved), so the document does
not change when people later move.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from organization.models import Employee, Position


class SkpStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")


EDITABLE_STATUSES = (SkpStatus.DRAFT, SkpStatus.RETURNED)


class CoreValue(models.TextChoices):
    """The seven BerAKHLAK core values: the perilaku kerja part of every SKP."""

    # English source labels; Bahasa Indonesia (the names of the values) in skp/locale/id.
    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan", _("Service-oriented")
    AKUNTABEL = "akuntabel", _("Accountable")
    KOMPETEN = "kompeten", _("Competent")
    HARMONIS = "harmonis", _("Harmonious")
    LOYAL = "loyal", _("Loyal")
    ADAPTIF = "adaptif", _("Adaptive")
    KOLABORATIF = "kolaboratif", _("Collaborative")


# The behaviour each core value asks for (PermenPAN-RB 6/2022 panduan perilaku).
CORE_VALUE_GUIDES = {
    CoreValue.BERORIENTASI_PELAYANAN: _(
        "Understands and meets the needs of the public; friendly, responsive, solution-oriented "
        "and reliable; keeps improving the quality of service."
    ),
    CoreValue.AKUNTABEL: _(
        "Carries out duties honestly, responsibly, carefully, with discipline and integrity; "
        "uses state property responsibly, effectively and efficiently; does not misuse authority."
    ),
    CoreValue.KOMPETEN: _(
        "Keeps learning to face ever-changing challenges; helps others learn; does every task "
        "with the best quality."
    ),
    CoreValue.HARMONIS: _(
        "Respects everyone regardless of background; likes to help others; builds a conducive "
        "working environment."
    ),
    CoreValue.LOYAL: _(
        "Is devoted to Pancasila, the 1945 Constitution, the Unitary State and a lawful "
        "government; keeps the good name of colleagues, leaders, the agency and the state; "
        "keeps state secrets."
    ),
    CoreValue.ADAPTIF: _(
        "Adapts quickly to change; keeps innovating and developing creativity; acts proactively."
    ),
    CoreValue.KOLABORATIF: _(
        "Gives others the chance to contribute; is open to working together to create added "
        "value; mobilises shared resources for a common goal."
    ),
}


class Skp(ConcurrentTransitionMixin, models.Model):
    employee = models.ForeignKey(
        Employee, models.PROTECT, related_name="skps", verbose_name=_("employee")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The employee's definitive position when the SKP was created: whoever acts for
    # its superior position is the pejabat penilai.
    position = models.ForeignKey(
        Position, models.PROTECT, related_name="skps", verbose_name=_("position")
    )
    status = FSMField(
        _("status"),
        default=SkpStatus.DRAFT,
        choices=SkpStatus.choices,
        protected=True,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    # Snapshot of the employee, taken at submission.
    employee_name = models.CharField(_("employee name"), max_length=200, blank=True)
    employee_nip = models.CharField(_("employee NIP"), max_length=18, blank=True)
    position_name = models.CharField(_("position name"), max_length=200, blank=True)
    unit_name = models.CharField(_("unit name"), max_length=200, blank=True)
    # Snapshot of the pejabat penilai, taken at submission and again at approval.
    penilai = models.ForeignKey(
        Employee,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pejabat penilai"),
    )
    penilai_name = models.CharField(_("pejabat penilai name"), max_length=200, blank=True)
    penilai_nip = models.CharField(_("pejabat penilai NIP"), max_length=18, blank=True)
    penilai_position_name = models.CharField(
        _("pejabat penilai position"),
        max_length=210,
        blank=True,
        help_text=_('With the "Plt."/"Plh." label when acting.'),
    )
    penilai_unit_name = models.CharField(_("pejabat penilai unit"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "employee__name"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "year"], name="skp_one_per_employee_year")
        ]
        verbose_name = _("SKP")
        verbose_name_plural = _("SKP")

    def __str__(self):
        return f"SKP {self.year} {self.employee_name or self.employee.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    # --- transitions: fields only, no I/O; called by skp.services ---------------------

    @transition(field=status, source=list(EDITABLE_STATUSES), target=SkpStatus.SUBMITTED)
    def submit(self, *, at, employee_snapshot: dict, penilai_snapshot: dict):
        self.submitted_at = at
        self._apply_snapshot(employee_snapshot)
        self._apply_snapshot(penilai_snapshot)

    @transition(field=status, source=SkpStatus.SUBMITTED, target=SkpStatus.APPROVED)
    def approve(self, *, at, penilai_snapshot: dict):
        self.approved_at = at
        self._apply_snapshot(penilai_snapshot)

    @transition(field=status, source=SkpStatus.SUBMITTED, target=SkpStatus.RETURNED)
    def return_for_revision(self):
        pass

    @transition(field=status, source=SkpStatus.APPROVED, target=SkpStatus.RETURNED)
    def reopen(self):
        self.approved_at = None

    def _apply_snapshot(self, snapshot: dict):
        for name, value in snapshot.items():
            setattr(self, name, value)


class Rhk(models.Model):
    """Rencana hasil kerja: a planned work result, optionally derived from one of the
    superior's RHK of the same year (the intervensi cascade)."""

    class Kind(models.TextChoices):
        MAIN = "main", _("Main")
        ADDITIONAL = "additional", _("Additional")

    skp = models.ForeignKey(Skp, models.CASCADE, related_name="rhks", verbose_name=_("SKP"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MAIN)
    text = models.TextField(_("planned work result"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    parent_rhk = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("superior's RHK (intervensi)"),
    )

    class Meta:
        ordering = ["skp", "order", "id"]
        verbose_name = _("RHK")
        verbose_name_plural = _("RHK")

    def __str__(self):
        return self.text[:80]


class Indicator(models.Model):
    class Aspect(models.TextChoices):
        QUANTITY = "quantity", _("Quantity")
        QUALITY = "quality", _("Quality")
        TIME = "time", _("Time")

    rhk = models.ForeignKey(Rhk, models.CASCADE, related_name="indicators", verbose_name=_("RHK"))
    text = models.TextField(_("indicator"))
    target = models.CharField(_("target"), max_length=100)
    unit = models.CharField(_("unit of measure"), max_length=100)
    aspect = models.CharField(
        _("aspect"), max_length=10, choices=Aspect.choices, default=Aspect.QUANTITY
    )

    class Meta:
        ordering = ["rhk", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.text[:80]


class BehaviourExpectation(models.Model):
    """The superior's specific expectation (ekspektasi khusus pimpinan) for one core value."""

    skp = models.ForeignKey(Skp, models.CASCADE, related_name="expectations", verbose_name=_("SKP"))
    core_value = models.CharField(_("core value"), max_length=30, choices=CoreValue.choices)
    text = models.TextField(_("specific expectation"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["skp", "core_value"], name="skp_expectation_per_value")
        ]
        verbose_name = _("behaviour expectation")
        verbose_name_plural = _("behaviour expectations")

    def __str__(self):
        return f"{self.get_core_value_display()}: {self.text[:60]}"


class SkpEvent(models.Model):
    """The validation history: one row per action, written in the action's transaction."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        REOPENED = "reopened", _("Reopened for revision")

    skp = models.ForeignKey(Skp, models.CASCADE, related_name="events", verbose_name=_("SKP"))
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    acting_as = models.CharField(_("acting as"), max_length=210, blank=True)
    from_status = models.CharField(_("from"), max_length=12, choices=SkpStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=SkpStatus.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("SKP event")
        verbose_name_plural = _("SKP events")

    def __str__(self):
        return f"{self.skp_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


# The rest of the year's models live in their own modules; importing them here registers
# them with the app.
from .models_evaluation import *  # noqa: E402, F403
from .models_lock import *  # noqa: E402, F403
from .models_realisation import *  # noqa: E402, F403
