from django.contrib import admin

from .models import IssuedDocument, LetterNumbering, LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["title", "service", "classification", "signing_position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "service__name", "service__code"]
    list_select_related = ["service", "signing_position"]
    autocomplete_fields = ["signing_position"]


@admin.register(LetterNumbering)
class LetterNumberingAdmin(admin.ModelAdmin):
    list_display = ["office", "pattern"]
    list_select_related = ["office"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are issued through the result step and revoked from the staff
    page (reason required); nobody edits a signed record."""

    list_display = ["code", "letter_number", "kind", "office", "issued_at", "revoked_at"]
    list_filter = ["kind", "office"]
    search_fields = ["code", "letter_number", "sha256", "request__registration_number"]
    list_select_related = ["office"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def view_on_site(self, obj):
        return f"/staf/dokumen/{obj.code}/"
