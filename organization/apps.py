from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "organization"
    verbose_name = _("Organisation")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from core.token_cache import membership_changed

        from .admin_roles import on_post_migrate
        from .models import StaffMembership

        post_migrate.connect(on_post_migrate, dispatch_uid="organization.admin_groups")
        # An API token's cached user is dropped when their units change (core/token_cache).
        for signal, uid in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(
                membership_changed, sender=StaffMembership, dispatch_uid=f"token-cache-{uid}"
            )
