from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "personnel"
    verbose_name = _("Personnel (SIASN reconciliation)")
    default_auto_field = "django.db.models.BigAutoField"
