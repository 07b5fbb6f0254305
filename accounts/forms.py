from django import forms
from django.utils.translation import gettext_lazy as _

from organization.models import Unit


class BulkAccountsForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units of the office"),
        help_text=_("Accounts are created for employees holding a position there today."),
    )
    office = forms.TypedChoiceField(label=_("Office"), coerce=int)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [(o.pk, str(o)) for o in offices]
        self.fields["unit"].queryset = Unit.objects.filter(office__in=offices).select_related(
            "office"
        )

    def clean(self):
        data = super().clean()
        unit, office = data.get("unit"), data.get("office")
        if unit is not None and office is not None and unit.office_id != office:
            self.add_error("unit", _("This unit belongs to another office."))
        return data
