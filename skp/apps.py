from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkpConfig(AppConfig):
    name = "skp"
    verbose_name = _("SKP (performance targets)")

    def ready(self):
        from services_catalog.signals import demo_loaded

        from .demo import skp_demo_load

        demo_loaded.connect(skp_demo_load, dispatch_uid="skp.demo_loaded")
