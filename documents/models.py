"""Result letters: per-service templates, per-office numbering, issued (signed) documents
with their public verification code."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from organization.models import Office, Position
from services_catalog.models import ServiceType
from workflow.models import ServiceRequest

# Crockford base 32 without look-alikes: a code read aloud or typed from paper survives.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 60 bits: not guessable within any rate limit


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


DEFAULT_NUMBER_PATTERN = "B-{seq}/{office}/{classification}/{month_roman}/{year}"
PATTERN_KEYS = {"seq", "office", "classification", "month", "month_roman", "year"}


def validate_number_pattern(pattern: str) -> None:
    import string

    keys = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = keys - PATTERN_KEYS
    if unknown:
        raise ValidationError(
            _("Unknown placeholders: %(keys)s.") % {"keys": ", ".join(sorted(unknown))}
        )
    if not {"seq", "year"} <= keys:
        # The sequence restarts every year: without the year two letters would share a number.
        raise ValidationError(_("The pattern must contain {seq} and {year}."))


class LetterNumbering(models.Model):
    """An office's letter numbering scheme (tata naskah dinas); the sequence restarts
    every year."""

    office = models.OneToOneField(
        Office, models.CASCADE, related_name="letter_numbering", verbose_name=_("office")
    )
    pattern = models.CharField(
        _("pattern"),
        max_length=120,
        default=DEFAULT_NUMBER_PATTERN,
        validators=[validate_number_pattern],
        help_text=_(
            "Placeholders: {seq}, {office}, {classification}, {month}, {month_roman}, {year}."
        ),
    )

    class Meta:
        verbose_name = _("letter numbering")
        verbose_name_plural = _("letter numbering")

    def __str__(self):
        return f"{self.office.code}: {self.pattern}"


class LetterCounter(models.Model):
    """The last number given by an office in a year (locked while a number is taken)."""

    office = models.ForeignKey(Office, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="letter_counter_per_year")
        ]

    def __str__(self):
        return f"{self.office_id}/{self.year}: {self.last}"


class LetterTemplate(models.Model):
    """How a service's result letter reads and who signs it."""

    service = models.OneToOneField(
        ServiceType, models.CASCADE, related_name="letter_template", verbose_name=_("service")
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("e.g. SURAT REKOMENDASI"))
    classification = models.CharField(
        _("classification code"), max_length=30, blank=True, help_text=_("e.g. HJ.00")
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Paragraphs separated by a blank line. Variables: {{ applicant_name }}, "
            "{{ registration_number }}, {{ service }}, {{ office }}, {{ date }} and "
            "{{ data.<field code> }}."
        ),
    )
    include_fields = models.BooleanField(
        _("list the form's answers"),
        default=True,
        help_text=_("Print a table of the request's fields under the body."),
    )
    signing_position = models.ForeignKey(
        Position,
        models.PROTECT,
        related_name="+",
        verbose_name=_("signing position"),
        help_text=_("Whoever acts for it on the day signs (the PLT/PLH when one is in force)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("result letter template")
        verbose_name_plural = _("result letter templates")

    def __str__(self):
        return f"{self.title} ({self.service.code})"

    def clean(self):
        from .letters import check_body

        error = check_body(self.body or "")
        if error:
            raise ValidationError({"body": error})
        if (
            self.service_id
            and self.signing_position_id
            and self.signing_position.unit.office_id != self.service.unit.office_id
        ):
            raise ValidationError(
                {"signing_position": _("The signing position must be in the service's office.")}
            )


class IssuedDocument(models.Model):
    """A result document the office issued: a generated, signed letter, or a registered
    upload. Its code is what `/verifikasi/<code>/` answers for."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("Generated letter, signed (PAdES)")
        UPLOAD = "upload", _("Uploaded result")

    code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verification_code
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    request = models.ForeignKey(
        ServiceRequest, models.PROTECT, related_name="issued_documents", verbose_name=_("request")
    )
    office = models.ForeignKey(Office, models.PROTECT, related_name="+", verbose_name=_("office"))
    title = models.CharField(_("title"), max_length=300)
    letter_number = models.CharField(_("letter number"), max_length=120, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_title = models.CharField(_("as"), max_length=250, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "letter_number"],
                condition=~models.Q(letter_number=""),
                name="letter_number_unique_per_office",
            )
        ]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self):
        return self.letter_number or self.code

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
