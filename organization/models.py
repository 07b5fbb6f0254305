"""Offices, units, the reporting tree of positions, employees and who acts for whom.

Over ~400 lines on purpose: these models are one org chart (a unit belongs to an office,
a position to a unit and a superior position, a holding or acting assignment joins an
employee to a position) and their constraints refer to each other; split, each module
would import the others back.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .nip import parse_nip, validate_nip
from .phones import INVALID_PHONE, phone_e164

# Registration numbers start with the office code; it uses the Crockford base-32
# alphabet (no I, L, O, U) so the check character covers it too.
office_code_validator = RegexValidator(
    r"^[0-9A-HJKMNP-TV-Z]{2,6}$",
    _("2-6 characters from 0-9 and A-Z without I, L, O and U."),
)


LOGO_MAX_BYTES = 1024 * 1024


def validate_logo(file):
    """A small PNG or JPEG, read from its bytes (the letterhead draws it)."""
    import filetype

    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 1 MB."))
    file.seek(0)
    kind = filetype.guess(file.read(512))
    file.seek(0)
    if kind is None or kind.mime not in ("image/png", "image/jpeg"):
        raise ValidationError(_("Upload the logo as a PNG or JPEG image."))


class Office(models.Model):
    class Kind(models.TextChoices):
        KANWIL = "kanwil", _("Kantor Wilayah (province)")
        KANKEMENAG = "kankemenag", _("Kantor Kementerian Agama (regency/city)")

    code = models.CharField(
        _("code"), max_length=6, unique=True, validators=[office_code_validator]
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent office"),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    siasn_unor_id = models.CharField(
        _("SIASN unor id"),
        max_length=64,
        blank=True,
        help_text=_("The office's unit id in BKN's SIASN (unorId), to reconcile personnel data."),
    )
    # Letterhead (kop surat) of printed documents: result letters, receipts.
    letterhead_ministry = models.CharField(
        _("letterhead: ministry line"),
        max_length=200,
        default="KEMENTERIAN AGAMA REPUBLIK INDONESIA",
    )
    email = models.EmailField(_("email"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to="letterheads/",
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG or JPEG, at most 1 MB; printed at the left of the letterhead."),
    )
    opening_hours = models.TextField(
        _("opening hours"), blank=True, help_text=_("e.g. Senin-Jumat 08.00-16.00 WIB")
    )
    complaint_unit = models.ForeignKey(
        "Unit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complaint unit"),
        help_text=_("The unit that handles complaints (pengaduan); default: the PTSP unit."),
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["siasn_unor_id"],
                condition=~Q(siasn_unor_id=""),
                name="office_siasn_unor_unique",
            )
        ]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return self.name

    def clean(self):
        if self.complaint_unit_id and self.pk and self.complaint_unit.office_id != self.pk:
            raise ValidationError(
                {"complaint_unit": _("The complaint unit must be a unit of this office.")}
            )


class Unit(models.Model):
    class Kind(models.TextChoices):
        SEKSI = "seksi", _("Seksi")
        SUBBAGIAN = "subbagian", _("Subbagian")
        BIDANG = "bidang", _("Bidang")
        PTSP = "ptsp", _("PTSP counter")
        OTHER = "other", _("Other")

    office = models.ForeignKey(
        Office, models.PROTECT, related_name="units", verbose_name=_("office")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SEKSI)
    siasn_unor_id = models.CharField(
        _("SIASN unor id"),
        max_length=64,
        blank=True,
        help_text=_("The unit's id in BKN's SIASN (unorId), to reconcile personnel data."),
    )

    class Meta:
        ordering = ["office__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unit_code_per_office"),
            models.UniqueConstraint(
                fields=["siasn_unor_id"],
                condition=~Q(siasn_unor_id=""),
                name="unit_siasn_unor_unique",
            ),
        ]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return f"{self.name} ({self.office.code})"


class PositionKind(models.TextChoices):
    JPT = "jpt", _("Jabatan Pimpinan Tinggi (JPT)")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    PELAKSANA = "pelaksana", _("Pelaksana / Jabatan Administrasi")
    FUNGSIONAL = "fungsional", _("Fungsional (JF)")


STRUCTURAL_KINDS = {PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS}


class Position(models.Model):
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="positions", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PositionKind.choices)
    superior = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name=_("superior position"),
    )
    # Heads an office or unit: its monthly capaian is the mean of its direct structural
    # subordinates' (DOMAIN.md 4), not its own rencana aksi.
    is_head = models.BooleanField(
        _("head of office/unit"),
        default=False,
        help_text=_("Its capaian is the mean of the direct structural subordinates'."),
    )

    class Meta:
        ordering = ["unit__office__code", "name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self):
        return self.name

    def clean(self):
        node, seen = self.superior, {self.pk}
        while node is not None:
            if node.pk in seen:
                raise ValidationError({"superior": _("The reporting tree may not loop.")})
            seen.add(node.pk)
            node = node.superior


class Golongan(models.TextChoices):
    """Civil-service rank (golongan/ruang), with SIASN's golonganPns codes (DOMAIN.md 7.5)."""

    IA = "11", "I/a"
    IB = "12", "I/b"
    IC = "13", "I/c"
    ID = "14", "I/d"
    IIA = "21", "II/a"
    IIB = "22", "II/b"
    IIC = "23", "II/c"
    IID = "24", "II/d"
    IIIA = "31", "III/a"
    IIIB = "32", "III/b"
    IIIC = "33", "III/c"
    IIID = "34", "III/d"
    IVA = "41", "IV/a"
    IVB = "42", "IV/b"
    IVC = "43", "IV/c"
    IVD = "44", "IV/d"
    IVE = "45", "IV/e"


# SIASN kedudukan hukum (kedudukanPnsId). Only 01 is active service: anyone else may not
# act for a position (approve an SKP, serve as PLT/PLH). Other codes are kept as BKN sends them.
KEDUDUKAN_AKTIF = "01"
KEDUDUKAN_LABELS = {
    "01": _("Active"),
    "02": _("Unpaid leave (CLTN)"),
    "03": _("Study leave (tugas belajar)"),
    "04": _("Temporarily dismissed"),
    "20": _("Pre-retirement leave (MPP)"),
}
kedudukan_validator = RegexValidator(r"^\d{2}$", _("A kedudukan code is two digits, e.g. 01."))


def kedudukan_label(code: str) -> str:
    return str(KEDUDUKAN_LABELS.get(code, _("Code %(code)s") % {"code": code}))


class EmployeeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(kedudukan=KEDUDUKAN_AKTIF)


class Employee(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        verbose_name=_("user account"),
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True, validators=[validate_nip])
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("WhatsApp number, stored as +62…")
    )
    golongan = models.CharField(
        _("rank (golongan)"), max_length=2, choices=Golongan.choices, blank=True
    )
    golongan_tmt = models.DateField(_("rank since (TMT golongan)"), null=True, blank=True)
    kedudukan = models.CharField(
        _("status (kedudukan hukum)"),
        max_length=2,
        default=KEDUDUKAN_AKTIF,
        validators=[kedudukan_validator],
        help_text=_("SIASN code: 01 active; 02 CLTN, 03 study leave, 20 MPP and others are not."),
    )

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self):
        return f"{self.name} ({self.nip})"

    @property
    def birth_date(self):
        return parse_nip(self.nip).birth_date

    @property
    def gender(self):
        return parse_nip(self.nip).gender

    @property
    def is_in_service(self) -> bool:
        """Active service (kedudukan 01): only then may the employee act for a position."""
        return self.kedudukan == KEDUDUKAN_AKTIF

    def get_kedudukan_display(self) -> str:
        return kedudukan_label(self.kedudukan)

    def clean(self):
        if self.golongan_tmt and not self.golongan:
            raise ValidationError({"golongan": _("Give the rank whose TMT this is.")})
        if self.phone:
            # Typed as people write it (0812 3456 7890), stored as E.164 (organization.phones).
            e164 = phone_e164(self.phone)
            if e164 is None:
                raise ValidationError({"phone": INVALID_PHONE})
            self.phone = e164


class PositionHoldingQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )

    def acting_on(self, day):
        """Holdings whose holder acts for the position on `day`: in force, holder in service."""
        return self.on(day).filter(employee__kedudukan=KEDUDUKAN_AKTIF)


class PositionHolding(models.Model):
    """The definitive holder of a position over a period (end_date null: still holds it)."""

    employee = models.ForeignKey(
        Employee, models.PROTECT, related_name="holdings", verbose_name=_("employee")
    )
    position = models.ForeignKey(
        Position, models.PROTECT, related_name="holdings", verbose_name=_("position")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    objects = PositionHoldingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="holding_dates_ordered",
            )
        ]
        verbose_name = _("definitive holding")
        verbose_name_plural = _("definitive holdings")

    def __str__(self):
        return f"{self.employee.name}: {self.position.name}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        # A structural position has one definitive holder at a time; many employees may
        # hold the same pelaksana or fungsional position (it is a job title, not a seat).
        if self.position_id and self.start_date and self.position.kind in STRUCTURAL_KINDS:
            overlapping = PositionHolding.objects.filter(position_id=self.position_id).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=self.start_date)
            )
            if self.end_date:
                overlapping = overlapping.filter(start_date__lte=self.end_date)
            if overlapping.exclude(pk=self.pk).exists():
                raise ValidationError(
                    _("Another employee already holds this structural position in that period.")
                )


class ActingAssignmentQuerySet(models.QuerySet):
    def on(self, day):
        return self.filter(start_date__lte=day, end_date__gte=day)

    def acting_on(self, day):
        """Assignments in force on `day` whose employee is in service: an inactive PLT/PLH
        (CLTN, study leave, ...) acts for nobody, and the definitive holder acts again."""
        return self.on(day).filter(employee__kedudukan=KEDUDUKAN_AKTIF)


class ActingAssignment(models.Model):
    """PLT/PLH: an employee acting for a position between two dates, by decree.

    While in force it *replaces* the definitive holder for that position's duties
    (M-SKP: the PLT's behaviour replaces the definitive position's).
    """

    class Kind(models.TextChoices):
        PLT = "plt", _("Plt. (pelaksana tugas)")
        PLH = "plh", _("Plh. (pelaksana harian)")

    employee = models.ForeignKey(
        Employee, models.PROTECT, related_name="acting_assignments", verbose_name=_("employee")
    )
    position = models.ForeignKey(
        Position, models.PROTECT, related_name="acting_assignments", verbose_name=_("position")
    )
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices, default=Kind.PLT)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    decree_number = models.CharField(_("decree number"), max_length=100)

    objects = ActingAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="acting_dates_ordered"
            )
        ]
        verbose_name = _("acting assignment (PLT/PLH)")
        verbose_name_plural = _("acting assignments (PLT/PLH)")

    def __str__(self):
        return f"{self.title}: {self.employee.name}"

    @property
    def title(self):
        prefix = "Plt." if self.kind == self.Kind.PLT else "Plh."
        return f"{prefix} {self.position.name}"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})
        # A new appointment needs an employee in service; an existing one may still be
        # edited (e.g. ended early) after its employee went on leave.
        if self._state.adding and self.employee_id and not self.employee.is_in_service:
            raise ValidationError(
                {"employee": _("Only an employee in active service may act as PLT/PLH.")}
            )
        if self.position_id and self.start_date and self.end_date:
            overlapping = ActingAssignment.objects.filter(
                position_id=self.position_id,
                start_date__lte=self.end_date,
                end_date__gte=self.start_date,
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(
                    _("Another PLT/PLH is already assigned to this position in that period.")
                )


class StaffMembership(models.Model):
    """Which units a user works for, and in what role. Units own services."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff (works the unit's queue)")
        SUPERVISOR = "supervisor", _("Supervisor (assigns within the unit)")
        CLERK = "clerk", _("Counter clerk (registers walk-in requests)")
        HR = "hr", _("Personnel (HR: the office's attendance, daily logs and accounts)")
        ADMIN = "admin", _("Office administrator (the office's catalogue and organisation)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("user account"),
    )
    unit = models.ForeignKey(
        Unit, models.CASCADE, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")
        ]
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")

    def __str__(self):
        return f"{self.user}: {self.get_role_display()} {self.unit}"
