"""The dashboard's filters: office, unit and period (inclusive days)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .selectors import MAX_PERIOD_DAYS, Period

EARLIEST = datetime.date(2000, 1, 1)


def month_of(day: datetime.date) -> Period:
    first = day.replace(day=1)
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    return Period(first, after - datetime.timedelta(days=1))


class DashboardFilter(forms.Form):
    kantor = forms.CharField(label=_("Office"), required=False, max_length=20)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=40)
    dari = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        start, end = data.get("dari"), data.get("sampai")
        if "dari" in self.errors or "sampai" in self.errors:
            return data
        default = month_of(today)
        start = start or (default.start if end is None else end.replace(day=1))
        end = end or (today if start >= default.start else month_of(start).end)
        for name, day in (("dari", start), ("sampai", end)):
            if not EARLIEST <= day <= today:
                self.add_error(
                    name,
                    _("Choose a day between %(first)s and today.")
                    % {"first": EARLIEST.strftime("%d-%m-%Y")},
                )
        if not self.errors and start > end:
            self.add_error("sampai", _("The end of the period is before its start."))
        if not self.errors and (end - start).days >= MAX_PERIOD_DAYS:
            self.add_error("sampai", _("A period is at most two years long."))
        data["period"] = Period(start, end)
        return data
