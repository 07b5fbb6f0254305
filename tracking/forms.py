"""Application forms generated from a catalogue entry.

These forms only *render* the catalogue (widgets, labels, HTML validation attributes)
and collect the raw values: every business rule (required fields, phone and NIK formats,
document types and sizes) is the workflow service's, whose `field_errors` are put back
next to the matching inputs with `apply_errors`.
"""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from config.exceptions import form_add_errors
from services_catalog.models import FormField

APPLICANT_FIELDS = ("name", "phone", "nik", "email")
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg,.jpeg",
    "image/png": ".png",
}


def field_name(code: str) -> str:
    return f"f_{code}"


def document_name(code: str) -> str:
    return f"d_{code}"


def _required(attrs: dict, required: bool) -> dict:
    if required:
        attrs["required"] = True
    return attrs


def catalogue_field(spec: FormField) -> forms.Field:
    attrs = _required({}, spec.required)
    kind = spec.type
    if kind == FormField.Type.TEXTAREA:
        widget = forms.Textarea(attrs={**attrs, "rows": 4})
    elif kind == FormField.Type.NUMBER:
        bounds = {"min": 0} | ({"max": spec.max_value} if spec.max_value is not None else {})
        widget = forms.NumberInput(attrs={**attrs, **bounds, "inputmode": "decimal", "step": "any"})
    elif kind == FormField.Type.DATE:
        widget = forms.DateInput(attrs={**attrs, "type": "date"})
    elif kind == FormField.Type.CHOICE:
        options = [("", _("— choose —"))] + [(c, c) for c in spec.choices or []]
        widget = forms.Select(attrs=attrs, choices=options)
    elif kind == FormField.Type.EMAIL:
        widget = forms.EmailInput(attrs=attrs)
    elif kind == FormField.Type.PHONE:
        widget = forms.TextInput(attrs={**attrs, "type": "tel", "inputmode": "tel"})
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=spec.label, required=False, widget=widget, help_text=field_help(spec)
    )


def field_help(spec: FormField) -> str:
    """The catalogue's hint, with a number's largest value said in words (the input's
    `max` alone is invisible until the browser refuses)."""
    if spec.type != FormField.Type.NUMBER or spec.max_value is None:
        return spec.help_text
    text = _("At most %(max)s.") % {"max": spec.max_value}
    return f"{spec.help_text} {text}".strip() if spec.help_text else text


def document_help(doc) -> str:
    kinds = ", ".join(
        {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}.get(ct, ct)
        for ct in doc.content_types
    )
    text = _("%(kinds)s, at most %(size)s.") % {
        "kinds": kinds,
        "size": filesizeformat(doc.max_bytes),
    }
    return f"{doc.help_text} {text}".strip() if doc.help_text else text


def document_field(doc, *, required: bool) -> forms.Field:
    accept = ",".join(
        filter(None, [*doc.content_types, *(EXTENSIONS.get(ct) for ct in doc.content_types)])
    )
    attrs = _required(
        {
            "accept": accept,
            "data-max-bytes": doc.max_bytes,
            "data-too-big": _("%(label)s is too large: at most %(size)s.")
            % {"label": doc.label, "size": filesizeformat(doc.max_bytes)},
        },
        required,
    )
    return forms.FileField(
        label=doc.label,
        required=False,
        widget=forms.ClearableFileInput(attrs=attrs),
        help_text=document_help(doc),
    )


class CatalogueForm(forms.Form):
    """Base: maps the workflow's error keys back onto form fields."""

    template_name_div = "tracking/_form_fields.html"

    def error_key_to_name(self, key: str) -> str | None:
        if key.startswith("applicant."):
            name = "applicant_" + key.split(".", 1)[1]
        elif key.startswith(("data.", "documents.")):
            name = self.error_key_to_name(key.split(".", 1)[1])
            return name
        else:
            name = field_name(key) if field_name(key) in self.fields else document_name(key)
        return name if name in self.fields else None

    def apply_errors(self, exc) -> None:
        """Show an ApplicationError from the workflow: field errors next to their inputs,
        anything else at the top."""
        form_add_errors(self, exc, name_of=lambda key: self.error_key_to_name(str(key)))

    def catalogue_data(self) -> dict:
        data = {}
        for spec in self.field_specs:
            value = self.cleaned_data.get(field_name(spec.code))
            if value not in (None, ""):
                data[spec.code] = value
        return data

    def catalogue_documents(self) -> dict:
        return {
            doc.code: self.cleaned_data[document_name(doc.code)]
            for doc in self.document_specs
            if self.cleaned_data.get(document_name(doc.code))
        }

    @property
    def applicant_fields(self):
        return [self[n] for n in self.fields if n.startswith("applicant_")]

    @property
    def data_fields(self):
        return [self[n] for n in self.fields if n.startswith("f_")]

    @property
    def document_fields(self):
        return [self[n] for n in self.fields if n.startswith("d_")]


class ApplicationForm(CatalogueForm):
    """A new request: the applicant, the catalogue fields and documents."""

    applicant_name = forms.CharField(
        label=_("Full name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"required": True, "autocomplete": "name"}),
    )
    applicant_phone = forms.CharField(
        label=_("WhatsApp number"),
        required=False,
        help_text=_("Updates are sent here by WhatsApp, e.g. 0812 3456 7890."),
        widget=forms.TextInput(
            attrs={
                "required": True,
                "type": "tel",
                "inputmode": "tel",
                "autocomplete": "tel",
                "pattern": r"[0-9+\-\s\(\)\.]{8,20}",
            }
        ),
    )
    applicant_nik = forms.CharField(
        label=_("NIK (optional)"),
        required=False,
        help_text=_("16 digits, as on your KTP."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "pattern": r"\s*[0-9]{16}\s*", "maxlength": 20}
        ),
    )
    applicant_email = forms.CharField(
        label=_("Email (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.field_specs = list(service.fields.all())
        self.document_specs = list(service.documents.all())
        for spec in self.field_specs:
            self.fields[field_name(spec.code)] = catalogue_field(spec)
        for doc in self.document_specs:
            self.fields[document_name(doc.code)] = document_field(doc, required=doc.required)

    def applicant(self) -> dict:
        applicant = {}
        for key in APPLICANT_FIELDS:
            value = self.cleaned_data.get(f"applicant_{key}", "")
            if value or key in ("name", "phone"):
                applicant[key] = value
        return applicant


class CorrectionForm(CatalogueForm):
    """Resubmitting a returned request: only what the office asked for; documents are
    optional here because the earlier uploads are kept."""

    def __init__(self, *args, service_request, **kwargs):
        super().__init__(*args, **kwargs)
        service = service_request.service
        codes = set(service_request.correction_codes or [])
        self.field_specs = [f for f in service.fields.all() if not codes or f.code in codes]
        self.document_specs = [d for d in service.documents.all() if not codes or d.code in codes]
        current = service_request.data or {}
        for spec in self.field_specs:
            self.fields[field_name(spec.code)] = catalogue_field(spec)
            self.fields[field_name(spec.code)].initial = current.get(spec.code, "")
        kept = {
            d.code: d.original_name for d in service_request.documents.all() if not d.superseded
        }
        for doc in self.document_specs:
            field = document_field(doc, required=False)
            if doc.code in kept:
                field.help_text = _(
                    "Your earlier file %(name)s is kept unless you choose a new one. %(rules)s"
                ) % {"name": kept[doc.code], "rules": field.help_text}
            self.fields[document_name(doc.code)] = field

    def correction_data(self) -> dict:
        """Every shown field as posted, blanks included: clearing a field is a change."""
        return {
            spec.code: self.cleaned_data.get(field_name(spec.code), "") for spec in self.field_specs
        }
