"""Admin of the year's work: the office's choices (periods, cadence) and its allowance
administrators are edited here; everything else is read-only (changes go through the
services: pages and API)."""

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models_evaluation import (
    Evaluation,
    EvaluationEvent,
    OfficePerformanceSetting,
    PredikatFinalisation,
    UnitGrade,
)
from .models_lock import AllowanceAdmin, PeriodLock, PeriodLockEvent
from .models_realisation import UmpanBalik
from .selectors_evaluation import granularity_frozen, office_setting


class OfficePerformanceSettingForm(forms.ModelForm):
    """The settings page's rule here too: the periods freeze once an evaluation of the
    year was submitted."""

    class Meta:
        model = OfficePerformanceSetting
        fields = ["office", "year", "granularity", "payment_cadence", "realisation_source"]

    def clean(self):
        data = super().clean()
        office, year = data.get("office"), data.get("year")
        if office and year:
            current = office_setting(office_id=office.pk, year=year).granularity
            if data.get("granularity") != current and granularity_frozen(
                office_id=office.pk, year=year
            ):
                self.add_error(
                    "granularity",
                    _(
                        "An evaluation of %(year)d has already been submitted or rated: its "
                        "periods can no longer change."
                    )
                    % {"year": year},
                )
        return data


@admin.register(OfficePerformanceSetting)
class OfficePerformanceSettingAdmin(admin.ModelAdmin):
    form = OfficePerformanceSettingForm
    list_display = [
        "office",
        "year",
        "granularity",
        "payment_cadence",
        "realisation_source",
        "changed_by",
        "changed_at",
    ]
    list_filter = ["year", "granularity", "payment_cadence", "realisation_source"]

    def save_model(self, request, obj, form, change):
        obj.changed_by, obj.changed_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(AllowanceAdmin)
class AllowanceAdminAdmin(admin.ModelAdmin):
    list_display = ["user", "office"]
    raw_id_fields = ["user"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnly):
    list_display = ["skp", "period", "status", "predikat", "penilai_name"]
    list_filter = ["status", "kind", "predikat"]
    list_select_related = ["skp__employee"]


@admin.register(EvaluationEvent, PeriodLockEvent, UmpanBalik, UnitGrade)
class HistoryAdmin(ReadOnly):
    pass


@admin.register(PredikatFinalisation)
class PredikatFinalisationAdmin(ReadOnly):
    list_display = ["unit", "period", "grade", "ok", "override_reason", "at"]


@admin.register(PeriodLock)
class PeriodLockAdmin(ReadOnly):
    list_display = ["office", "year", "month", "status", "payment_ref", "locked_at"]
    list_filter = ["status", "year"]
