from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance and daily work")

    def ready(self):
        from . import receivers  # noqa: F401  (approved leave -> absence days)
