"""Read-only admin views of requests, their history, tasks and documents.

Requests change only through `workflow.services` (the status is a protected FSM field), so
the admin shows them for support and audit and never edits them.
"""

from django.contrib import admin

from .models import Document, IdempotencyKey, RequestEvent, ServiceRequest, Task


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyMixin, admin.TabularInline):
    model = RequestEvent
    fields = [
        "at",
        "kind",
        "is_transition",
        "actor",
        "acting_as",
        "from_status",
        "to_status",
        "step",
        "note",
    ]
    readonly_fields = fields
    extra = 0


class TaskInline(ReadOnlyMixin, admin.TabularInline):
    model = Task
    fields = [
        "step",
        "unit",
        "status",
        "assigned_to",
        "created_at",
        "due_date",
        "overdue",
        "decision",
        "completed_by",
    ]
    readonly_fields = fields
    extra = 0


class DocumentInline(ReadOnlyMixin, admin.TabularInline):
    model = Document
    fields = ["code", "original_name", "content_type", "size", "uploaded_at", "superseded"]
    readonly_fields = fields
    extra = 0


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "registration_number",
        "service",
        "status",
        "current_step",
        "channel",
        "submitted_at",
        "due_date",
    ]
    list_filter = ["status", "channel", "service"]
    search_fields = ["registration_number", "registration_key", "applicant_name", "applicant_phone"]
    list_select_related = ["service", "current_step"]
    date_hierarchy = "submitted_at"
    exclude = ["access_token", "result_document"]
    inlines = [DocumentInline, TaskInline, EventInline]


@admin.register(Task)
class TaskAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["request", "step", "unit", "status", "assigned_to", "due_date", "overdue"]
    list_filter = ["status", "overdue", "unit"]
    search_fields = ["request__registration_number"]
    list_select_related = ["request", "step", "unit", "assigned_to"]


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["key", "status_code", "request", "created_at"]
    search_fields = ["key"]
    exclude = ["response"]
