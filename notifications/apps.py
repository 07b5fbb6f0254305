from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("WhatsApp notifications")

    def ready(self):
        from skp import signals as skp_signals
        from workflow import signals

        from . import receivers, texts
        from .models import MessageTemplate

        signals.request_transitioned.connect(
            receivers.on_request_transitioned, dispatch_uid="notifications.request_transitioned"
        )
        signals.task_overdue.connect(
            receivers.on_task_overdue, dispatch_uid="notifications.task_overdue"
        )
        skp_signals.skp_transition_recorded.connect(
            receivers.on_skp_transition_recorded,
            dispatch_uid="notifications.skp_transition_recorded",
        )
        skp_signals.evaluation_transition_recorded.connect(
            receivers.on_evaluation_transition_recorded,
            dispatch_uid="notifications.evaluation_transition_recorded",
        )
        for signal in (post_save, post_delete):
            signal.connect(
                texts.templates_changed,
                sender=MessageTemplate,
                dispatch_uid=f"notifications.templates_changed.{signal is post_save}",
            )
        skp_signals.period_lock_recorded.connect(
            receivers.on_period_lock_recorded, dispatch_uid="notifications.period_lock_recorded"
        )
