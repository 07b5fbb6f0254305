"""The year's work under an approved SKP (DOMAIN.md 2.2 to 2.5): monthly rencana aksi per
RHK, their realisasi, the bukti dukung behind it and the penilai's umpan balik.

Other rooms link to `RencanaAksi` (e.g. daily activity log entries); read them through
`skp.selectors_realisation.rencana_aksi_for_month`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organization.models import Employee

from .models import CoreValue, Indicator, Rhk, Skp

QUANTITY = {"max_digits": 12, "decimal_places": 2}


class RealisationSource(models.TextChoices):
    """Where an office takes the month's realisasi of a rencana aksi from."""

    MANUAL = "manual", _("Entered by the employee")
    DAILY_LOG = "daily_log", _("Sum of the linked daily log entries")


class RencanaAksi(models.Model):
    """One action plan of one RHK for one month (Format B.1.1); several per RHK-month."""

    skp = models.ForeignKey(Skp, models.CASCADE, related_name="rencana_aksi", verbose_name=_("SKP"))
    rhk = models.ForeignKey(Rhk, models.CASCADE, related_name="rencana_aksi", verbose_name=_("RHK"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    text = models.CharField(_("action plan"), max_length=500)
    target = models.DecimalField(_("target"), validators=[MinValueValidator(0)], **QUANTITY)
    unit = models.CharField(_("unit of measure"), max_length=100)
    # eKAK's RTP-MR tag: a risk-control action (rencana tindak pengendalian).
    is_risk_control = models.BooleanField(_("risk-control action (RTP)"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["skp", "month", "rhk__order", "rhk_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rhk", "month", "text"], name="rencana_aksi_unique"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="rencana_aksi_month"
            ),
        ]
        indexes = [models.Index(fields=["skp", "month"])]
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")

    def __str__(self):
        return f"{self.month:02d}: {self.text[:70]}"


class Realisasi(models.Model):
    """What was achieved of one rencana aksi in its month, against evidence."""

    rencana_aksi = models.OneToOneField(
        RencanaAksi, models.CASCADE, related_name="realisasi", verbose_name=_("rencana aksi")
    )
    indicator = models.ForeignKey(
        Indicator,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator"),
    )
    value = models.DecimalField(_("realisation"), validators=[MinValueValidator(0)], **QUANTITY)
    note = models.TextField(_("basis of the realisation"), blank=True)
    # realisasi / target x 100 uncapped (the shown capaian is capped at 100, DOMAIN.md 2.3).
    capaian_raw = models.DecimalField(_("raw achievement (%)"), max_digits=16, decimal_places=4)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=RealisationSource.choices,
        default=RealisationSource.MANUAL,
    )
    # Under RealisationSource.DAILY_LOG: how many daily entries make the sum, and how many
    # of them carry an evidence link or file (they count as bukti dukung, README).
    daily_entries = models.PositiveIntegerField(_("daily log entries"), default=0)
    daily_evidence = models.PositiveIntegerField(_("daily log entries with evidence"), default=0)

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")

    def __str__(self):
        return f"{self.rencana_aksi_id}: {self.value}"


class BuktiDukung(models.Model):
    """Evidence: an uploaded file (content sniffed, size-limited, served privately) or a link."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    rencana_aksi = models.ForeignKey(
        RencanaAksi, models.CASCADE, related_name="bukti_dukung", verbose_name=_("rencana aksi")
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="bukti-dukung/%Y/%m/", blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")

    def __str__(self):
        return self.original_name or self.url


class UmpanBalik(models.Model):
    """Continuous feedback by the pejabat penilai of the day, per RHK or per core value
    and period. Append-only: no service edits or deletes it."""

    skp = models.ForeignKey(Skp, models.CASCADE, related_name="umpan_balik", verbose_name=_("SKP"))
    period = models.CharField(_("period"), max_length=7, db_index=True)
    rhk = models.ForeignKey(
        Rhk,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="umpan_balik",
        verbose_name=_("RHK"),
    )
    core_value = models.CharField(
        _("core value"), max_length=30, choices=CoreValue.choices, blank=True
    )
    text = models.TextField(_("feedback"))
    author = models.ForeignKey(
        Employee, models.PROTECT, related_name="+", verbose_name=_("pejabat penilai")
    )
    author_name = models.CharField(_("author name"), max_length=200)
    acting_as = models.CharField(_("acting as"), max_length=210, blank=True)
    author_position_name = models.CharField(_("author position"), max_length=210, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(rhk__isnull=False) & models.Q(core_value=""))
                | (models.Q(rhk__isnull=True) & ~models.Q(core_value="")),
                name="umpan_balik_rhk_xor_value",
            )
        ]
        verbose_name = _("umpan balik")
        verbose_name_plural = _("umpan balik")

    def __str__(self):
        return f"{self.period}: {self.text[:60]}"

    @property
    def by(self) -> str:
        """'Plt. Kepala Seksi …' when written by an acting official, else name and position."""
        return self.acting_as or f"{self.author_name}, {self.author_position_name}".strip(", ")
