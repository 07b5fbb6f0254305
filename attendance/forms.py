from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors_plans import plain

PHOTO_ATTRS = {"accept": "image/jpeg,image/png", "capture": "user"}


class CheckForm(forms.Form):
    """The check-in page's form: the browser fills the position, the camera the photo."""

    kind = forms.ChoiceField(choices=[("in", _("Check in")), ("out", _("Check out"))])
    latitude = forms.CharField(widget=forms.HiddenInput)
    longitude = forms.CharField(widget=forms.HiddenInput)
    accuracy = forms.CharField(widget=forms.HiddenInput)
    captured_at = forms.CharField(widget=forms.HiddenInput, required=False)
    photo = forms.FileField(label=_("Selfie"), widget=forms.ClearableFileInput(PHOTO_ATTRS))


class EnrolForm(forms.Form):
    photo = forms.FileField(
        label=_("Reference photo of your face"),
        widget=forms.ClearableFileInput(PHOTO_ATTRS),
        help_text=_("Face the camera in good light, without a mask or sunglasses."),
    )
    consent = forms.BooleanField(label=_("I agree"), required=False)


class DailyLogForm(forms.Form):
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    start = forms.TimeField(
        label=_("Start"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    end = forms.TimeField(
        label=_("End"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )
    activity = forms.CharField(
        label=_("Activity"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    rencana_aksi = forms.ChoiceField(
        label=_("Rencana aksi"),
        required=False,
        help_text=_("The month's action plan of your approved SKP this activity works on."),
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    unit = forms.CharField(
        label=_("Unit of measure"),
        required=False,
        max_length=50,
        help_text=_("e.g. dokumen, laporan, kegiatan"),
    )
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, max_length=500)
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)

    def __init__(self, *args, plan_groups=(), **kwargs):
        """`plan_groups`: (RHK text, [rencana aksi]) of the month, shown as <optgroup>s.
        The service checks the choice again against the entry's own month."""
        super().__init__(*args, **kwargs)
        field = self.fields["rencana_aksi"]
        field.choices = [("", _("— not linked —"))] + [
            (
                rhk,
                [(str(ra.pk), f"{ra.text} (target {plain(ra.target)} {ra.unit})") for ra in plans],
            )
            for rhk, plans in plan_groups
        ]
        if not plan_groups:
            field.help_text = _(
                "Your approved SKP has no rencana aksi for this month; add them on the "
                "SKP realisation page to link activities to them."
            )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
