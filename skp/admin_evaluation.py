"""Admin of the year's work: the office's choices (periods, cadence) and its allowance
administrators are edited here; everything else is read-only (changes go through the
services: pages and API)."""

from django.contrib import admin

from .models_evaluation import (
    Evaluation,
    EvaluationEvent,
    OfficePerformanceSetting,
    PredikatFinalisation,
    UnitGrade,
)
from .models_lock import AllowanceAdmin, PeriodLock, PeriodLockEvent
from .models_realisation import UmpanBalik


@admin.register(OfficePerformanceSetting)
class OfficePerformanceSettingAdmin(admin.ModelAdmin):
    list_display = ["office", "year", "granularity", "payment_cadence", "realisation_source"]
    list_filter = ["year", "granularity", "payment_cadence", "realisation_source"]


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
