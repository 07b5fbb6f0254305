from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Service requests")

    def ready(self):
        from . import catalogue_copy, queue_cache

        queue_cache.connect()
        catalogue_copy.connect()
