"""The catalogue's inline forms as an office administrator fills them: a choice field's
options one per line, a document's allowed file types ticked from a list, its size in MB.

The model keeps JSON lists and bytes (the API and catalogue files say so); only the
admin's widgets translate. Nothing here decides a rule: the model's `clean` and
`service_type_validate` still check the whole entry.
"""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from .models import FormField, RequiredDocument

MB = 1024 * 1024
# The types an upload is recognised as from its bytes (config/uploads.py).
FILE_TYPES = [
    ("application/pdf", _("PDF document")),
    ("image/jpeg", _("JPEG image (photo, scan)")),
    ("image/png", _("PNG image")),
]


class LinesField(forms.CharField):
    """A list of texts edited one per line; blank lines dropped, duplicates refused."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 30})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        lines = [line.strip() for line in (value or "").splitlines()]
        return [line for line in lines if line]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        repeated = sorted({v for v in value if value.count(v) > 1})
        if repeated:
            raise ValidationError(
                _("Each choice once; repeated: %(choices)s.") % {"choices": ", ".join(repeated)},
                code="repeated",
            )

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


class FormFieldInlineForm(forms.ModelForm):
    choices = LinesField(
        label=_("choices"),
        required=False,
        help_text=_("For a choice field: one option per line, as the applicant will see it."),
    )

    class Meta:
        model = FormField
        fields = ["order", "code", "label", "type", "required", "choices", "max_value", "help_text"]


class RequiredDocumentInlineForm(forms.ModelForm):
    content_types = forms.MultipleChoiceField(
        label=_("allowed file types"),
        choices=FILE_TYPES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one file type.")},
    )
    max_mb = forms.DecimalField(
        label=_("maximum size (MB)"),
        min_value=Decimal("0.1"),
        decimal_places=1,
        initial=Decimal("2"),
        localize=True,  # "1,5" as Indonesians write it
        help_text=_("e.g. 2 or 0.5 (the comma as the decimal sign in Bahasa Indonesia)."),
    )

    class Meta:
        model = RequiredDocument
        fields = ["order", "code", "label", "required", "content_types", "help_text"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No larger than the site accepts in one upload (MAX_UPLOAD_BYTES).
        ceiling = (Decimal(settings.MAX_UPLOAD_BYTES) / MB).quantize(Decimal("0.1"))
        self.fields["max_mb"].max_value = ceiling
        self.fields["max_mb"].validators.append(MaxValueValidator(ceiling))
        stored = list(self.instance.content_types or []) if self.instance.pk else []
        known = {value for value, _label in FILE_TYPES}
        # A type stored by a catalogue file but not in the list stays visible (and kept).
        extra = [(ct, ct) for ct in stored if ct not in known]
        self.fields["content_types"].choices = FILE_TYPES + extra
        if self.instance.pk:
            self.initial["max_mb"] = (Decimal(self.instance.max_bytes) / MB).quantize(
                Decimal("0.1")
            )

    def clean_max_mb(self):
        return int(self.cleaned_data["max_mb"] * MB)

    def _post_clean(self):
        if "max_mb" in self.cleaned_data:
            self.instance.max_bytes = self.cleaned_data["max_mb"]
        super()._post_clean()
