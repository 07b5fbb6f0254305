"""Service types with their Indonesian service standard, form, documents and ordered steps."""

from django.contrib.auth.models import Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Lower
from django.utils.translation import gettext_lazy as _

from organization.models import Unit

DEFAULT_CONTENT_TYPES = ["application/pdf", "image/jpeg", "image/png"]
DEFAULT_MAX_BYTES = 2 * 1024 * 1024


def default_content_types():
    return list(DEFAULT_CONTENT_TYPES)


class ServiceTypeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def public(self):
        """Active services for citizens (internal services for employees are not shown)."""
        return self.filter(is_active=True, audience=ServiceType.Audience.PUBLIC)

    def with_catalogue(self):
        """Everything the catalogue shows, in a fixed number of queries."""
        return self.select_related("unit__office").prefetch_related("fields", "documents", "steps")


class ServiceType(models.Model):
    """A service the office offers, with its standard (standar pelayanan)."""

    class Audience(models.TextChoices):
        PUBLIC = "public", _("The public")
        EMPLOYEES = "employees", _("Employees (internal service)")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="services", verbose_name=_("responsible unit")
    )
    is_active = models.BooleanField(_("active"), default=True)
    audience = models.CharField(
        _("for"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.PUBLIC,
        help_text=_(
            "An internal service (leave, permission, inter-unit request) is applied for by a "
            "logged-in employee and never shown to the public."
        ),
    )
    requirements = models.TextField(_("requirements (persyaratan)"), blank=True)
    procedure = models.TextField(_("procedure notes (prosedur)"), blank=True)
    sla_working_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), validators=[MinValueValidator(1)]
    )
    correction_days = models.PositiveSmallIntegerField(
        _("days to send a correction"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "A request returned for correction and not corrected within this many days "
            "is closed as cancelled."
        ),
    )
    fee = models.PositiveIntegerField(_("fee (rupiah)"), default=0)
    product = models.CharField(_("product"), max_length=300)
    product_is_digital = models.BooleanField(
        _("digital product"),
        default=False,
        help_text=_("The result document is delivered as a file the applicant downloads."),
    )
    legal_basis = models.TextField(_("legal basis (dasar hukum)"), blank=True)
    complaint_channel = models.TextField(_("complaint channel (pengaduan)"), blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    synonyms = models.TextField(
        _("search synonyms"),
        blank=True,
        help_text=_(
            "Other words and common misspellings people type when looking for this service, "
            "separated by commas, e.g. ijasah, legalisasi."
        ),
    )
    # What the catalogue search reads (selectors.service_type_search), kept by the database
    # itself so no save path can forget it; the trigram GIN index is on this column.
    search_text = models.GeneratedField(
        expression=Lower(
            Concat(
                "name",
                Value(" "),
                "synonyms",
                Value(" "),
                "description",
                Value(" "),
                "product",
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = ServiceTypeQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = _("service type")
        verbose_name_plural = _("service types")

    def __str__(self):
        return self.name


class FormField(models.Model):
    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        TEXTAREA = "textarea", _("Long text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    service = models.ForeignKey(
        ServiceType, models.CASCADE, related_name="fields", verbose_name=_("service type")
    )
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.TEXT)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    max_value = models.PositiveBigIntegerField(
        _("largest value"),
        null=True,
        blank=True,
        help_text=_("Number fields only: the largest answer accepted (e.g. 10 sheets)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="field_code_per_service")
        ]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")

    def __str__(self):
        return self.label

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.type == self.Type.CHOICE and not self.choices:
            raise ValidationError({"choices": _("A choice field needs at least one choice.")})
        if self.choices and (
            not isinstance(self.choices, list) or not all(isinstance(c, str) for c in self.choices)
        ):
            raise ValidationError({"choices": _("Choices are a list of texts.")})
        # An answer is never below 0 (workflow.validation.clean_number), so any stored
        # largest value keeps min <= max; it only means something for a number.
        if self.max_value is not None and self.type != self.Type.NUMBER:
            raise ValidationError({"max_value": _("Only a number field can have a largest value.")})


class RequiredDocument(models.Model):
    service = models.ForeignKey(
        ServiceType, models.CASCADE, related_name="documents", verbose_name=_("service type")
    )
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("label"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    content_types = models.JSONField(_("allowed content types"), default=default_content_types)
    max_bytes = models.PositiveIntegerField(
        _("maximum size (bytes)"), default=DEFAULT_MAX_BYTES, validators=[MinValueValidator(1)]
    )
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "code"], name="document_code_per_service")
        ]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self):
        return self.label


class Step(models.Model):
    """One step of a service's procedure: who handles it and in how many working days."""

    class Route(models.TextChoices):
        UNIT = "unit", _("Staff of the unit")
        SUPERIOR = (
            "superior",
            _("The applicant's superior (whoever acts for the position that day)"),
        )
        APPLICANT = "applicant", _("The applicant (must deliver before the flow goes on)")

    service = models.ForeignKey(
        ServiceType, models.CASCADE, related_name="steps", verbose_name=_("service type")
    )
    order = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="steps", verbose_name=_("responsible unit")
    )
    route = models.CharField(
        _("handled by"),
        max_length=10,
        choices=Route.choices,
        default=Route.UNIT,
        help_text=_(
            "Internal services only: a step may go to the applicant's superior position "
            "(the PLT/PLH in force, else the definitive holder) or to the applicant."
        ),
    )
    group = models.ForeignKey(
        Group,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff group"),
        help_text=_("Optional: only staff of the unit who are also in this group take the task."),
    )
    sla_working_days = models.PositiveSmallIntegerField(
        _("working days"), default=1, validators=[MinValueValidator(1)]
    )
    may_return = models.BooleanField(
        _("may return to applicant"),
        default=False,
        help_text=_("The office may return the request to the applicant for a correction here."),
    )
    produces_result = models.BooleanField(
        _("produces the result"),
        default=False,
        help_text=_("Approving this step attaches the digital result document."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["service", "order"], name="step_order_per_service")
        ]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return f"{self.order}. {self.name}"
