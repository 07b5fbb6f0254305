from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "organization"
    verbose_name = _("Organisation")

    def ready(self):
        from .admin_roles import on_post_migrate

        post_migrate.connect(on_post_migrate, dispatch_uid="organization.admin_groups")
