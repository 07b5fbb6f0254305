from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from notifications import services
from notifications.models import DeliveryAttempt, Message, MessageStatus, MessageTemplate
from notifications.templatetags.outbox import mask_access_links
from notifications.texts import DEFAULT_TEXTS


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "language", "service", "is_active", "content_sid", "updated_at"]
    list_filter = ["kind", "language", "is_active", "service"]
    readonly_fields = ["default_text"]
    fields = ["service", "kind", "language", "body", "default_text", "content_sid", "is_active"]

    @admin.display(description=_("default text"))
    def default_text(self, obj):
        if not obj or not obj.kind or not obj.language:
            return "-"
        return DEFAULT_TEXTS.get(obj.language, {}).get(obj.kind, "-")


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    readonly_fields = [
        "number",
        "backend",
        "started_at",
        "finished_at",
        "outcome",
        "provider_sid",
        "error_code",
        "error_message",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "request",
        "skp_event",
        "kind",
        "recipient",
        "status",
        "error_code",
        "attempts",
    ]
    list_filter = ["status", "kind", "backend"]
    search_fields = ["request__registration_number", "recipient", "provider_sid"]
    date_hierarchy = "created_at"
    inlines = [DeliveryAttemptInline]
    actions = ["send_again"]
    list_select_related = ["request", "skp_event"]

    exclude = ["body"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Message._meta.fields if f.name != "body"] + ["text"]

    @admin.display(description=_("text"))
    def text(self, obj):
        # The applicant's private link is theirs alone, admins included.
        return mask_access_links(obj.body)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send failed messages again"))
    def send_again(self, request, queryset):
        count = 0
        for message in queryset.filter(
            status__in=[MessageStatus.FAILED, MessageStatus.UNDELIVERED]
        ):
            if services.message_resend(message_id=message.pk):
                count += 1
        self.message_user(
            request, _("%(count)d message(s) queued again.") % {"count": count}, messages.SUCCESS
        )
