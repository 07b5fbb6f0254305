from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesCatalogConfig(AppConfig):
    name = "services_catalog"
    verbose_name = _("Service catalogue")

    def ready(self):
        from . import cache

        cache.connect()
