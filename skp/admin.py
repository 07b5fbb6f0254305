"""Admin: read-mostly. The status moves only through skp.services (the pages and API)."""

from django.contrib import admin

from .models import BehaviourExpectation, Indicator, Rhk, Skp, SkpEvent
from .services import SNAPSHOT_FIELDS


class RhkInline(admin.TabularInline):
    model = Rhk
    extra = 0
    fields = ["kind", "order", "text", "parent_rhk"]
    raw_id_fields = ["parent_rhk"]
    show_change_link = True


class SkpEventInline(admin.TabularInline):
    model = SkpEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor", "acting_as", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Skp)
class SkpAdmin(admin.ModelAdmin):
    list_display = ["year", "employee", "position", "status", "submitted_at", "approved_at"]
    list_filter = ["status", "year"]
    search_fields = ["employee__name", "employee__nip", "employee_name", "employee_nip"]
    raw_id_fields = ["employee", "position", "penilai"]
    readonly_fields = ["status", "submitted_at", "approved_at", *SNAPSHOT_FIELDS]
    inlines = [RhkInline, SkpEventInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Rhk)
class RhkAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "skp"]
    raw_id_fields = ["skp", "parent_rhk"]
    inlines = [IndicatorInline]


@admin.register(BehaviourExpectation)
class BehaviourExpectationAdmin(admin.ModelAdmin):
    list_display = ["skp", "core_value", "text"]
    raw_id_fields = ["skp"]


from . import admin_evaluation  # noqa: E402, F401 - the year's work
