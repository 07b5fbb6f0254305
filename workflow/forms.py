"""Staff page forms: parsing only. The rules (note required, may_return...) live in the
services; their errors are put back on these forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.exceptions import form_add_errors

from .models import Task


class DecisionForm(forms.Form):
    # No default: a decision is always chosen, then confirmed (`confirmed`), so an
    # approval is never one accidental click.
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Task.Decision.choices,
        error_messages={"required": _("Choose a decision.")},
    )
    note = forms.CharField(
        label=_("Note for the applicant"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning or rejecting: the applicant reads it."),
    )
    public_note = forms.CharField(
        label=_("Public note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Shown to anyone on the public status page: write nothing personal. "
            "Leave empty to publish no note."
        ),
    )
    correction_codes = forms.MultipleChoiceField(
        label=_("What must be corrected"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty to let the applicant change anything."),
    )
    result = forms.FileField(label=_("Result document (PDF, JPG or PNG)"), required=False)

    def __init__(self, *args, service_request=None, step=None, **kwargs):
        super().__init__(*args, **kwargs)
        service = service_request.service
        self.fields["correction_codes"].choices = [
            (f.code, f.label) for f in service.fields.all()
        ] + [(d.code, d.label) for d in service.documents.all()]
        choices = [("", _("Choose a decision")), (Task.Decision.APPROVE, _("Approve"))]
        if step is not None and step.may_return:
            choices.append((Task.Decision.RETURN, _("Return for correction")))
        choices.append((Task.Decision.REJECT, _("Reject")))
        self.fields["decision"].choices = choices
        if step is None or not step.may_return:
            del self.fields["correction_codes"]
        if step is None or not step.produces_result:
            del self.fields["result"]

    def summary(self) -> dict:
        """What the confirmation repeats before the decision is saved."""
        data = self.cleaned_data
        labels = dict(self.fields["decision"].choices)
        codes = (
            dict(self.fields["correction_codes"].choices)
            if "correction_codes" in self.fields
            else {}
        )
        return {
            "decision": data["decision"],
            "decision_label": labels.get(data["decision"], data["decision"]),
            "note": data.get("note", ""),
            "public_note": data.get("public_note", ""),
            "codes": list(data.get("correction_codes") or []),
            "corrections": [codes.get(c, c) for c in data.get("correction_codes") or []],
            "result": data.get("result"),
        }

    def add_service_errors(self, exc):
        """Put an ApplicationError's messages on the matching fields."""
        form_add_errors(self, exc)
