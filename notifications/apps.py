from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("WhatsApp notifications")

    def ready(self):
        from workflow import signals

        from . import receivers

        signals.request_transitioned.connect(
            receivers.on_request_transitioned, dispatch_uid="notifications.request_transitioned"
        )
        signals.task_overdue.connect(
            receivers.on_task_overdue, dispatch_uid="notifications.task_overdue"
        )
