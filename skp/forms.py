"""Page forms: parsing only. The rules live in skp.services."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Indicator, Rhk
from .services import MAX_YEAR, MIN_YEAR


class AccessibleForm(forms.Form):
    """Marks fields with errors (aria-invalid, aria-describedby on the error and help
    texts) so the shared `skp/_field.html` renders them accessibly."""

    def full_clean(self):
        super().full_clean()
        self._mark()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark()

    def _mark(self):
        if not hasattr(self, "cleaned_data"):
            return
        for name, field in self.fields.items():
            bound = self[name]
            described = []
            if field.help_text:
                described.append(f"{bound.auto_id}-help")
            if name in self.errors:
                field.widget.attrs["aria-invalid"] = "true"
                described.append(f"{bound.auto_id}-error")
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class SkpCreateForm(AccessibleForm):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        initial=lambda: timezone.localdate().year,
    )


class RhkForm(AccessibleForm):
    text = forms.CharField(
        label=_("Planned work result (RHK)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Rhk.Kind.choices, initial=Rhk.Kind.MAIN)
    parent_rhk = forms.ModelChoiceField(
        label=_("Derived from the superior's RHK (intervensi)"),
        queryset=Rhk.objects.none(),
        required=False,
        empty_label=_("(none)"),
        help_text=_("Optional: the RHK of your superior's SKP this one contributes to."),
    )

    def __init__(self, *args, parent_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parent_choices is not None:
            self.fields["parent_rhk"].queryset = parent_choices


class IndicatorForm(AccessibleForm):
    text = forms.CharField(label=_("Indicator"), widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.CharField(label=_("Target"), max_length=100)
    unit = forms.CharField(label=_("Unit of measure"), max_length=100)
    aspect = forms.ChoiceField(
        label=_("Aspect"), choices=Indicator.Aspect.choices, initial=Indicator.Aspect.QUANTITY
    )


class NoteForm(AccessibleForm):
    note = forms.CharField(
        label=_("Note for the employee"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(AccessibleForm):
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExpectationForm(AccessibleForm):
    text = forms.CharField(
        label=_("Specific expectation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PrintForm(AccessibleForm):
    tanggal = forms.DateField(
        label=_("Date in the header"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    bulan = forms.TypedChoiceField(
        label=_("Period"),
        choices=[("", _("The whole year"))] + [(str(m), m) for m in range(1, 13)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("A month prints the monthly SKP form with that month as its period."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Month names in the active language.
        self.fields["bulan"].choices = [("", _("The whole year"))] + [
            (str(m), date_format(datetime.date(2000, m, 1), "F")) for m in range(1, 13)
        ]
