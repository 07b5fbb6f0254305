"""Employees' own work: where they may check in, the office's working calendar, face
enrolment, attendance records, absences (leave), the daily activity log and its monthly
report.

Over ~400 lines on purpose: together they are one employee's working day (where, when,
the face that checked in, the absence that excuses it, what was done), which
attendance/services.py reads and changes as one; nine small models, one file."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from organization.models import Employee, Office


# Random names: a stored file's name never reveals whose it is.
def face_photo_name(instance, filename):
    return f"attendance/faces/{uuid.uuid4().hex}.jpg"


def check_photo_name(instance, filename):
    return f"attendance/checks/{uuid.uuid4().hex}.jpg"


def evidence_name(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attendance/evidence/{uuid.uuid4().hex}.{ext[:8]}"


class WorkLocation(models.Model):
    """A place an employee may check in from: an office geofence, or a WFH location
    allowed for one employee by a decree (surat tugas) between two dates."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Office (WFO)")
        WFH = "wfh", _("Home (WFH)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    office = models.ForeignKey(
        Office,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="work_locations",
        verbose_name=_("office"),
    )
    employee = models.ForeignKey(
        Employee,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="wfh_locations",
        verbose_name=_("employee (WFH)"),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    radius_m = models.PositiveIntegerField(
        _("radius (metres)"), default=100, validators=[MinValueValidator(10)]
    )
    max_accuracy_m = models.PositiveIntegerField(
        _("worst accepted GPS accuracy (metres)"), default=100, validators=[MinValueValidator(5)]
    )
    decree_number = models.CharField(_("decree / letter number"), max_length=100, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="office", office__isnull=False, employee__isnull=True))
                | Q(
                    kind="wfh",
                    employee__isnull=False,
                    valid_from__isnull=False,
                    valid_until__isnull=False,
                    valid_until__gte=models.F("valid_from"),
                ),
                name="work_location_kind_fields",
            )
        ]
        verbose_name = _("work location")
        verbose_name_plural = _("work locations")

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == self.Kind.OFFICE:
            if not self.office_id:
                raise ValidationError({"office": _("An office location needs its office.")})
            self.employee = None
        else:
            errors = {}
            if not self.employee_id:
                errors["employee"] = _("A WFH location is for one employee.")
            if not self.decree_number:
                errors["decree_number"] = _("A WFH location needs the decree that allows it.")
            if not (self.valid_from and self.valid_until):
                errors["valid_until"] = _("A WFH location is valid between two dates.")
            elif self.valid_until < self.valid_from:
                errors["valid_until"] = _("The end date is before the start date.")
            if errors:
                raise ValidationError(errors)
            self.office = None


class WorkCalendar(models.Model):
    """An office's working hours and the tolerances of the monthly recap."""

    office = models.OneToOneField(
        Office, models.CASCADE, related_name="work_calendar", verbose_name=_("office")
    )
    start = models.TimeField(_("work starts"), default="07:30")
    end = models.TimeField(_("work ends (Monday-Thursday)"), default="16:00")
    friday_end = models.TimeField(_("work ends on Friday"), default="16:30")
    late_after_minutes = models.PositiveSmallIntegerField(
        _("late after (minutes past the start)"), default=0
    )
    early_before_minutes = models.PositiveSmallIntegerField(
        _("early before (minutes before the end)"), default=0
    )

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")

    def __str__(self):
        return str(self.office)


class CollectiveLeaveDay(models.Model):
    """Cuti bersama (SKB of the ministers): a day off for every office, or one office."""

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    office = models.ForeignKey(
        Office,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="collective_leave_days",
        verbose_name=_("office (empty: all offices)"),
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["date", "office"], name="collective_leave_once"),
            models.UniqueConstraint(
                fields=["date"],
                condition=Q(office__isnull=True),
                name="collective_leave_once_national",
            ),
        ]
        verbose_name = _("collective leave day")
        verbose_name_plural = _("collective leave days")

    def __str__(self):
        return f"{self.date}: {self.name}"


class FaceEnrolment(models.Model):
    """An employee's reference face (UU 27/2022 specific personal data): given with
    explicit consent, kept as a 128-number descriptor plus one reference photo, removed
    entirely when the employee deletes the enrolment."""

    employee = models.OneToOneField(
        Employee, models.CASCADE, related_name="face_enrolment", verbose_name=_("employee")
    )
    descriptor = models.JSONField(_("face descriptor"))
    photo = models.FileField(_("reference photo"), upload_to=face_photo_name)
    photo_sha256 = models.CharField(max_length=64)
    consent_text = models.TextField(_("consent given"))
    consented_at = models.DateTimeField(_("consent given at"))

    class Meta:
        verbose_name = _("face enrolment")
        verbose_name_plural = _("face enrolments")

    def __str__(self):
        return str(self.employee)


class Flag(models.TextChoices):
    """Why a check-in is held for the supervisor instead of accepted."""

    OUTSIDE_GEOFENCE = "outside_geofence", _("Outside the work location")
    LOW_ACCURACY = "low_accuracy", _("GPS accuracy too low")
    FACE_MISMATCH = "face_mismatch", _("Face does not match the enrolment")
    REPLAYED_PHOTO = "replayed_photo", _("The same photo was sent before")
    CLOCK_SKEW = "clock_skew", _("The device's time is far from the server's")
    NO_LOCATION = "no_location", _("No work location registered")


class AttendanceRecord(models.Model):
    class Kind(models.TextChoices):
        IN = "in", _("Check-in")
        OUT = "out", _("Check-out")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        FLAGGED = "flagged", _("Flagged for the supervisor")
        REJECTED = "rejected", _("Rejected by the supervisor")

    employee = models.ForeignKey(
        Employee, models.PROTECT, related_name="attendance_records", verbose_name=_("employee")
    )
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    date = models.DateField(_("date"))
    client_time = models.DateTimeField(_("device time"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    accuracy_m = models.FloatField(_("accuracy (metres)"))
    location = models.ForeignKey(
        WorkLocation, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    location_name = models.CharField(max_length=200, blank=True)
    distance_m = models.FloatField(_("distance (metres)"), null=True, blank=True)
    within_geofence = models.BooleanField(_("within the geofence"))
    face_distance = models.FloatField(_("face distance"), null=True, blank=True)
    face_match = models.BooleanField(_("face matches"))
    photo = models.FileField(_("photo"), upload_to=check_photo_name, blank=True)
    photo_sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]
        indexes = [models.Index(fields=["employee", "date"])]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")

    def __str__(self):
        return f"{self.employee} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class Absence(models.Model):
    """Days an employee is excused (cuti, izin, dinas luar): an approved leave request
    through the workflow, or a letter HR recorded. Marks those days `leave` in the recap."""

    class Kind(models.TextChoices):
        ANNUAL_LEAVE = "cuti_tahunan", _("Annual leave")
        PERMISSION = "izin", _("Permission to be absent")
        SICK = "sakit", _("Sick leave")
        OFFICIAL_TRAVEL = "dinas_luar", _("Official duty elsewhere")

    employee = models.ForeignKey(
        Employee, models.CASCADE, related_name="absences", verbose_name=_("employee")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    reference = models.CharField(_("letter / request number"), max_length=100)
    source_request_id = models.BigIntegerField(null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="absence_dates_ordered"
            )
        ]
        verbose_name = _("absence (leave)")
        verbose_name_plural = _("absences (leave)")

    def __str__(self):
        return f"{self.employee}: {self.get_kind_display()} {self.start_date}-{self.end_date}"


class DailyLogEntry(models.Model):
    """Catatan harian (e-Kinerja "progress harian"): one activity of one day."""

    employee = models.ForeignKey(
        Employee, models.CASCADE, related_name="daily_log", verbose_name=_("employee")
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))
    activity = models.TextField(_("activity"), max_length=2000)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(_("unit of measure"), max_length=50, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_name, blank=True)
    # e-Kinerja's "rencana aksi (select)": one of the month's plans under the employee's
    # approved SKP (checked by the service). Under the office setting "sum of the daily
    # log" the plan's realisasi is the sum of these entries' quantities.
    rencana_aksi = models.ForeignKey(
        "skp.RencanaAksi",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rencana aksi"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "start", "id"]
        indexes = [models.Index(fields=["employee", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="log_end_after")
        ]
        verbose_name = _("daily log entry")
        verbose_name_plural = _("daily log entries")

    def __str__(self):
        return f"{self.employee} {self.date} {self.start}-{self.end}"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class MonthlyReport(ConcurrentTransitionMixin, models.Model):
    """Laporan bulanan kinerja: the month's days, hours and entries, frozen when
    submitted, approved by whoever acts for the employee's superior position that day."""

    employee = models.ForeignKey(
        Employee, models.CASCADE, related_name="monthly_reports", verbose_name=_("employee")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = FSMField(
        _("status"), default=ReportStatus.SUBMITTED, choices=ReportStatus.choices, protected=True
    )
    total_days = models.PositiveSmallIntegerField(_("days with activities"))
    total_minutes = models.PositiveIntegerField(_("minutes of activities"))
    entry_count = models.PositiveIntegerField(_("entries"))
    present_days = models.PositiveSmallIntegerField(_("days present"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    submitted_at = models.DateTimeField(_("submitted at"))
    # The month's rencana aksi as they stood when submitted (target, realisasi, capaian
    # and the linked entries), so the approver reads what was sent.
    plans = models.JSONField(_("rencana aksi"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_as = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "year", "month"], name="one_report_per_month"
            )
        ]
        verbose_name = _("monthly performance report")
        verbose_name_plural = _("monthly performance reports")

    def __str__(self):
        return f"{self.employee} {self.year}-{self.month:02d}"

    @property
    def capaian_persen(self) -> int:
        """Days with activities over the month's working days."""
        if not self.working_days:
            return 0
        return min(100, round(100 * self.total_days / self.working_days))

    @transition(field=status, source=[ReportStatus.SUBMITTED], target=ReportStatus.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=[ReportStatus.SUBMITTED], target=ReportStatus.RETURNED)
    def return_(self):
        pass

    @transition(field=status, source=[ReportStatus.RETURNED], target=ReportStatus.SUBMITTED)
    def resubmit(self):
        pass


class LeaveService(models.Model):
    """An internal catalogue service whose approval excuses the days it names: the
    request's date fields `mulai` and `selesai` become an Absence when it completes."""

    service = models.OneToOneField(
        "services_catalog.ServiceType",
        models.CASCADE,
        related_name="leave_service",
        verbose_name=_("service"),
    )
    absence_kind = models.CharField(_("marks the days as"), max_length=20, choices=Absence.Kind)
    annual_days = models.PositiveSmallIntegerField(
        _("days per year"),
        null=True,
        blank=True,
        help_text=_("Annual leave: the yearly entitlement in working days (12 for a PNS)."),
    )

    class Meta:
        verbose_name = _("leave service")
        verbose_name_plural = _("leave services")

    def __str__(self):
        return str(self.service)
