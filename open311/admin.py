"""Open311 clients in the admin: a new client gets its key shown once; "new key"
replaces a key (the old one stops working at once)."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApiClient, Open311Request
from .services import api_client_rotate_key


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ["name", "key_prefix", "is_active", "post_rate", "created_at", "last_used_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]
    fields = ["name", "is_active", "post_rate", "key_prefix", "created_at", "last_used_at"]
    actions = ["new_key"]

    def save_model(self, request, obj, form, change):
        key = None if change else obj.set_key()
        super().save_model(request, obj, form, change)
        if key:
            messages.warning(
                request,
                _("API key for %(name)s (shown only now): %(key)s")
                % {"name": obj.name, "key": key},
            )

    @admin.action(description=gettext_lazy("Give the selected clients a new API key"))
    def new_key(self, request, queryset):
        for client in queryset:
            key = api_client_rotate_key(client=client)
            messages.warning(
                request,
                _("New API key for %(name)s (shown only now): %(key)s")
                % {"name": client.name, "key": key},
            )


@admin.register(Open311Request)
class Open311RequestAdmin(admin.ModelAdmin):
    list_display = ["request", "client", "created_at"]
    list_filter = ["client"]
    list_select_related = ["request", "client"]
    readonly_fields = ["client", "request", "token", "created_at"]

    def has_add_permission(self, request):
        return False
