"""SIASN imports, records and consistency issues in the admin: read-only (imports run
through `siasn_import` and the HR page; issues are solved on the monitor page)."""

from django.contrib import admin

from .models import ConsistencyIssue, IssueAction, SiasnImport, SiasnRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SiasnImport)
class SiasnImportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "source", "file_name", "status", "rows_read", "uploaded_by"]
    list_filter = ["status", "source"]
    exclude = ["stored_file"]


@admin.register(SiasnRecord)
class SiasnRecordAdmin(ReadOnlyAdmin):
    list_display = ["nip", "nama", "golongan_nama", "kedudukan_nama", "unor_nama", "present"]
    list_filter = ["present", "kedudukan_id", "golongan_id"]
    search_fields = ["nip", "nama", "unor_nama"]


class IssueActionInline(admin.TabularInline):
    model = IssueAction
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "note", "local_value", "bkn_value", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ConsistencyIssue)
class ConsistencyIssueAdmin(ReadOnlyAdmin):
    list_display = ["issue_class", "nip", "name", "field", "status", "office", "unit"]
    list_filter = ["issue_class", "status", "office"]
    search_fields = ["nip", "name"]
    list_select_related = ["office", "unit__office"]
    inlines = [IssueActionInline]
