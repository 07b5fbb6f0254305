"""BKN (SIASN) personnel data as imported, and the consistency issues found against
Alur's organisation data. SIASN is only ever read: nothing here is sent back to BKN."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organization.models import Employee, Office, Unit


class SiasnImport(models.Model):
    """One reading of a SIASN file (or of records fetched from the SIASN API)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Upload (HR page)")
        COMMAND = "command", _("Command line")
        API = "api", _("SIASN API")

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    file_name = models.CharField(_("file"), max_length=255, blank=True)
    # Where an uploaded file waits for the worker (private storage), removed when read.
    stored_file = models.CharField(max_length=255, blank=True, editable=False)
    full = models.BooleanField(
        _("full export"),
        default=True,
        help_text=_("A full export: employees missing from it are missing from BKN's data."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    bytes_total = models.BigIntegerField(default=0)
    bytes_read = models.BigIntegerField(default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("SIASN import")
        verbose_name_plural = _("SIASN imports")
        permissions = [
            ("reconcile_personnel", _("Can import SIASN data and solve consistency issues")),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(self.bytes_read * 100 / self.bytes_total))


class SiasnRecord(models.Model):
    """BKN's data on one civil servant, as last imported (the fields that are compared)."""

    nip = models.CharField(_("NIP"), max_length=32, unique=True)
    nip_valid = models.BooleanField(default=True)
    pns_id = models.CharField(max_length=64, blank=True)
    nip_lama = models.CharField(max_length=32, blank=True)
    nama = models.CharField(_("name"), max_length=300, blank=True)
    gelar_depan = models.CharField(max_length=300, blank=True)
    gelar_belakang = models.CharField(max_length=300, blank=True)
    tanggal_lahir = models.DateField(null=True, blank=True)
    jenis_kelamin = models.CharField(max_length=1, blank=True)
    kedudukan_id = models.CharField(_("kedudukan code"), max_length=300, blank=True)
    kedudukan_nama = models.CharField(_("kedudukan"), max_length=300, blank=True)
    golongan_id = models.CharField(_("golongan code"), max_length=300, blank=True)
    golongan_nama = models.CharField(_("golongan"), max_length=300, blank=True)
    tmt_golongan = models.DateField(null=True, blank=True)
    jenis_jabatan_id = models.CharField(max_length=300, blank=True)
    jabatan_nama = models.CharField(max_length=300, blank=True)
    eselon_id = models.CharField(max_length=300, blank=True)
    tmt_jabatan = models.DateField(null=True, blank=True)
    unor_id = models.CharField(max_length=300, blank=True, db_index=True)
    unor_nama = models.CharField(_("unit (unor)"), max_length=300, blank=True)
    instansi_kerja_nama = models.CharField(max_length=300, blank=True)
    satuan_kerja_nama = models.CharField(max_length=300, blank=True)
    fingerprint = models.CharField(max_length=64)
    # Still in BKN's latest full export (False: it was dropped from BKN's data).
    present = models.BooleanField(_("in the latest import"), default=True, db_index=True)
    imported = models.ForeignKey(
        SiasnImport, models.PROTECT, related_name="changed_records", verbose_name=_("imported by")
    )
    last_seen = models.ForeignKey(SiasnImport, models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("BKN data imported at"))

    class Meta:
        ordering = ["nip"]
        verbose_name = _("SIASN record")
        verbose_name_plural = _("SIASN records")

    def __str__(self):
        return f"{self.nama} ({self.nip})"

    @property
    def full_name(self) -> str:
        name = " ".join(p for p in (self.gelar_depan, self.nama) if p)
        return f"{name}, {self.gelar_belakang}" if self.gelar_belakang else name


class IssueClass(models.TextChoices):
    MISSING_LOCAL = "MISSING_LOCAL", _("In BKN, not in Alur")
    MISSING_BKN = "MISSING_BKN", _("In Alur, not in BKN")
    FIELD_MISMATCH = "FIELD_MISMATCH", _("Data differ")
    INVALID_NIP = "INVALID_NIP", _("Invalid NIP")
    INACTIVE_BUT_HOLDING = "INACTIVE_BUT_HOLDING", _("Inactive but holding a position")


class ConsistencyIssue(models.Model):
    """One difference between Alur and BKN for one NIP: kept while it lasts, with its
    history of what was done about it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Local value kept")
        RESOLVED = "resolved", _("Resolved")

    nip = models.CharField(_("NIP"), max_length=32)
    issue_class = models.CharField(_("class"), max_length=24, choices=IssueClass.choices)
    field = models.CharField(_("field"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    employee = models.ForeignKey(
        Employee, models.SET_NULL, null=True, blank=True, related_name="consistency_issues"
    )
    record = models.ForeignKey(
        SiasnRecord, models.SET_NULL, null=True, blank=True, related_name="issues"
    )
    office = models.ForeignKey(
        Office, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("office")
    )
    unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    name = models.CharField(_("name"), max_length=300, blank=True)
    local_value = models.CharField(_("Alur value"), max_length=500, blank=True)
    bkn_value = models.CharField(_("BKN value"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    detected_at = models.DateTimeField(_("detected"))
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["issue_class", "nip", "field"]
        constraints = [
            models.UniqueConstraint(
                fields=["nip", "issue_class", "field"], name="one_issue_per_nip_class_field"
            )
        ]
        indexes = [models.Index(fields=["status", "issue_class"])]
        verbose_name = _("consistency issue")
        verbose_name_plural = _("consistency issues")

    def __str__(self):
        return f"{self.issue_class} {self.nip} {self.field}".strip()


class IssueAction(models.Model):
    """History of an issue: detected, solved by someone (and how), resolved, reopened."""

    class Kind(models.TextChoices):
        DETECTED = "detected", _("Detected")
        ACCEPTED_BKN = "accepted_bkn", _("BKN value accepted")
        KEPT_LOCAL = "kept_local", _("Local value kept")
        EMPLOYEE_CREATED = "employee_created", _("Employee created from BKN data")
        RESOLVED = "resolved", _("No longer found")
        REOPENED = "reopened", _("Found again")

    issue = models.ForeignKey(ConsistencyIssue, models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    local_value = models.CharField(max_length=500, blank=True)
    bkn_value = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("issue action")
        verbose_name_plural = _("issue actions")

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
