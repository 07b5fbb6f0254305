"""Organisation management in the Django admin: offices, units, the reporting tree,
employees (NIP), definitive holdings, PLT/PLH assignments and staff memberships.

The admin only parses and shows; creating an acting assignment goes through
`organization.services.acting_assignment_create` like every other caller.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .admin_hr import HrImportExportAdmin
from .admin_scope import OfficeScopedAdmin
from .models import (
    ActingAssignment,
    Employee,
    Office,
    Position,
    PositionHolding,
    StaffMembership,
    Unit,
)
from .nip import parse_nip
from .services import acting_assignment_create


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["code", "name", "kind", "siasn_unor_id"]
    show_change_link = True


@admin.register(Office)
class OfficeAdmin(HrImportExportAdmin, OfficeScopedAdmin, admin.ModelAdmin):
    office_path = ""
    list_display = ["code", "name", "kind", "parent", "city", "siasn_unor_id"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "city", "siasn_unor_id"]
    list_select_related = ["parent"]
    inlines = [UnitInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "parent", "city", "siasn_unor_id"]}),
        (
            _("Letterhead and contact"),
            {
                "fields": [
                    "letterhead_ministry",
                    "address",
                    "phone",
                    "email",
                    "website",
                    "logo",
                    "opening_hours",
                ]
            },
        ),
        (_("Complaints"), {"fields": ["complaint_unit"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "complaint_unit":
            office_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Unit.objects.filter(office_id=office_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(Unit)
class UnitAdmin(HrImportExportAdmin, OfficeScopedAdmin, admin.ModelAdmin):
    office_path = "office"
    list_display = ["name", "code", "kind", "office", "siasn_unor_id"]
    list_filter = ["kind", "office"]
    search_fields = ["name", "code", "office__name", "office__code", "siasn_unor_id"]
    list_select_related = ["office"]


@admin.register(Position)
class PositionAdmin(HrImportExportAdmin, OfficeScopedAdmin, admin.ModelAdmin):
    office_path = "unit__office"
    list_display = ["name", "kind", "unit", "superior"]
    list_filter = ["kind", "unit__office"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit__office", "superior"]
    autocomplete_fields = ["unit", "superior"]


class PositionHoldingInline(admin.TabularInline):
    model = PositionHolding
    extra = 0
    autocomplete_fields = ["position"]


@admin.register(Employee)
class EmployeeAdmin(HrImportExportAdmin, OfficeScopedAdmin, admin.ModelAdmin):
    office_path = None  # through the positions they hold (admin_scope)
    list_display = ["name", "nip", "golongan", "kedudukan", "user"]
    list_filter = ["kedudukan", "golongan"]
    search_fields = ["name", "nip", "user__username"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["nip_birth_date", "nip_gender"]
    fields = [
        "nip",
        "nip_birth_date",
        "nip_gender",
        "name",
        "user",
        "email",
        "phone",
        "golongan",
        "golongan_tmt",
        "kedudukan",
    ]
    inlines = [PositionHoldingInline]

    @admin.display(description=_("birth date (from the NIP)"))
    def nip_birth_date(self, obj):
        parts = _nip_parts(obj)
        return parts.birth_date if parts else "-"

    @admin.display(description=_("gender (from the NIP)"))
    def nip_gender(self, obj):
        parts = _nip_parts(obj)
        if not parts:
            return "-"
        return _("male") if parts.gender == "male" else _("female")


def _nip_parts(obj):
    if obj is None or not obj.nip:
        return None
    try:
        return parse_nip(obj.nip)
    except ValidationError:
        return None


@admin.register(PositionHolding)
class PositionHoldingAdmin(OfficeScopedAdmin, admin.ModelAdmin):
    office_path = "position__unit__office"
    list_display = ["employee", "position", "start_date", "end_date"]
    list_filter = ["position__unit__office"]
    search_fields = ["employee__name", "employee__nip", "position__name"]
    list_select_related = ["employee", "position"]
    autocomplete_fields = ["employee", "position"]
    date_hierarchy = "start_date"


@admin.register(ActingAssignment)
class ActingAssignmentAdmin(OfficeScopedAdmin, admin.ModelAdmin):
    office_path = "position__unit__office"
    list_display = ["title_display", "employee", "kind", "start_date", "end_date", "decree_number"]
    list_filter = ["kind", "position__unit__office"]
    search_fields = ["employee__name", "employee__nip", "position__name", "decree_number"]
    list_select_related = ["employee", "position"]
    autocomplete_fields = ["employee", "position"]
    date_hierarchy = "start_date"

    @admin.display(description=_("acting as"))
    def title_display(self, obj):
        return obj.title

    def save_model(self, request, obj, form, change):
        # The form already ran the model's overlap check; a new appointment goes through
        # the service, which repeats it under a lock on the position (two admins at once).
        if change:
            super().save_model(request, obj, form, change)
            return
        created = acting_assignment_create(
            employee=obj.employee,
            position=obj.position,
            start_date=obj.start_date,
            end_date=obj.end_date,
            decree_number=obj.decree_number,
            kind=obj.kind,
        )
        obj.pk = created.pk


@admin.register(StaffMembership)
class StaffMembershipAdmin(OfficeScopedAdmin, admin.ModelAdmin):
    office_path = "unit__office"
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit__office", "unit"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    list_select_related = ["user", "unit__office"]
    autocomplete_fields = ["user", "unit"]
