"""Periodic and annual evaluation (DOMAIN.md 2.1, 2.6 to 2.10, 3): the office's choice of
periods, one evaluation per SKP and period with its state machine and history, the unit's
organisation grade and the finalisation of a unit's predikats.

The status is a protected django-fsm field moved only by `skp.services_evaluation`,
inside a transaction holding the row lock (as the planning flow).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from organization.models import Employee, Office, Unit

from .models import Skp
from .models_realisation import RealisationSource
from .rules import Granularity, OrganisationGrade, PeriodKind, Predikat, Rating


class PaymentCadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly (tunjangan kinerja)")
    QUARTERLY = "quarterly", _("Quarterly (TPP)")


class OfficePerformanceSetting(models.Model):
    """One office's choices for one year: evaluation periods, allowance cadence and where
    the monthly realisasi comes from."""

    office = models.ForeignKey(
        Office, models.CASCADE, related_name="performance_settings", verbose_name=_("office")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    granularity = models.CharField(
        _("periodic evaluation"),
        max_length=10,
        choices=Granularity.choices,
        default=Granularity.QUARTERLY,
    )
    payment_cadence = models.CharField(
        _("allowance paid"),
        max_length=10,
        choices=PaymentCadence.choices,
        default=PaymentCadence.MONTHLY,
    )
    realisation_source = models.CharField(
        _("realisation of the rencana aksi"),
        max_length=10,
        choices=RealisationSource.choices,
        default=RealisationSource.MANUAL,
        help_text=_(
            "Sum of the daily log: each month's realisation is the total quantity of the "
            "daily log entries linked to the rencana aksi, and cannot be typed by hand."
        ),
    )
    # Who chose last (the office's administrator on the settings page, or the admin).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="performance_setting_unique")
        ]
        verbose_name = _("performance setting")
        verbose_name_plural = _("performance settings")

    def __str__(self):
        return f"{self.office.code} {self.year}: {self.get_granularity_display()}"


class EvaluationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    RATED = "rated", _("Rated")
    LOCKED = "locked", _("Locked")


class Evaluation(ConcurrentTransitionMixin, models.Model):
    """One SKP's evaluation for one period. A return sends it back to `open` (with a
    history row and the note): the contract's statuses are open/submitted/rated/locked."""

    skp = models.ForeignKey(Skp, models.CASCADE, related_name="evaluations", verbose_name=_("SKP"))
    period = models.CharField(_("period"), max_length=7)
    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    status = FSMField(
        _("status"),
        default=EvaluationStatus.OPEN,
        choices=EvaluationStatus.choices,
        protected=True,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    rating_hasil_kerja = models.PositiveSmallIntegerField(
        _("rating hasil kerja"), choices=Rating.choices, null=True, blank=True
    )
    rating_perilaku = models.PositiveSmallIntegerField(
        _("rating perilaku kerja"), choices=Rating.choices, null=True, blank=True
    )
    # Computed from the two ratings by the matrix, never typed.
    predikat = models.PositiveSmallIntegerField(
        _("predikat"), choices=Predikat.choices, null=True, blank=True
    )
    note = models.TextField(_("notes / recommendation"), blank=True)
    # The pejabat penilai who rated, as they were that day.
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
        _("pejabat penilai position"), max_length=210, blank=True
    )
    penilai_unit_name = models.CharField(_("pejabat penilai unit"), max_length=200, blank=True)

    class Meta:
        ordering = ["skp", "period"]
        constraints = [
            models.UniqueConstraint(fields=["skp", "period"], name="evaluation_per_period")
        ]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.skp} {self.period}"

    # --- transitions: fields only, no I/O; called by skp.services_evaluation ------------

    @transition(field=status, source=EvaluationStatus.OPEN, target=EvaluationStatus.SUBMITTED)
    def submit(self, *, at):
        self.submitted_at = at

    @transition(field=status, source=EvaluationStatus.SUBMITTED, target=EvaluationStatus.OPEN)
    def return_to_owner(self):
        self.submitted_at = None

    @transition(field=status, source=EvaluationStatus.SUBMITTED, target=EvaluationStatus.RATED)
    def rate(self, *, at, hasil_kerja: int, perilaku: int, predikat: int, note: str, penilai):
        self.rated_at = at
        self.rating_hasil_kerja, self.rating_perilaku = hasil_kerja, perilaku
        self.predikat, self.note = predikat, note
        for name, value in penilai.items():
            setattr(self, name, value)

    @transition(field=status, source=EvaluationStatus.RATED, target=EvaluationStatus.LOCKED)
    def lock(self, *, at):
        self.locked_at = at


class EvaluationEvent(models.Model):
    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        RATED = "rated", _("Rated")
        LOCKED = "locked", _("Locked (predikats finalised)")

    evaluation = models.ForeignKey(
        Evaluation, models.CASCADE, related_name="events", verbose_name=_("evaluation")
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    acting_as = models.CharField(_("acting as"), max_length=210, blank=True)
    from_status = models.CharField(_("from"), max_length=10, choices=EvaluationStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=EvaluationStatus.choices)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("evaluation event")
        verbose_name_plural = _("evaluation events")

    def __str__(self):
        return f"{self.evaluation_id} {self.action}"


class UnitGrade(models.Model):
    """The organisation grade of a unit for a period, set by the head above (SE 3/2023)."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="grades", verbose_name=_("unit"))
    period = models.CharField(_("period"), max_length=7)
    grade = models.CharField(_("organisation grade"), max_length=16, choices=OrganisationGrade)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    acting_as = models.CharField(_("acting as"), max_length=210, blank=True)
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="unit_grade_per_period")
        ]
        verbose_name = _("organisation grade")
        verbose_name_plural = _("organisation grades")

    def __str__(self):
        return f"{self.unit} {self.period}: {self.get_grade_display()}"


class PredikatFinalisation(models.Model):
    """A unit's period closed: its rated evaluations locked, the checks as they stood and,
    where a hard check failed, the leader's override reason."""

    unit = models.ForeignKey(
        Unit, models.CASCADE, related_name="finalisations", verbose_name=_("unit")
    )
    period = models.CharField(_("period"), max_length=7)
    grade = models.CharField(_("organisation grade"), max_length=16, choices=OrganisationGrade)
    counts = models.JSONField(_("counts per predikat"), default=dict)
    checks = models.JSONField(_("distribution checks"), default=list)
    ok = models.BooleanField(_("passes the checks"))
    override_reason = models.TextField(_("override reason"), blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    acting_as = models.CharField(_("acting as"), max_length=210, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("predikat finalisation")
        verbose_name_plural = _("predikat finalisations")

    def __str__(self):
        return f"{self.unit} {self.period}"
