from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkpConfig(AppConfig):
    name = "skp"
    verbose_name = _("SKP (performance targets)")
