from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Result documents")

    def ready(self):
        from workflow import signals

        from . import receivers

        signals.request_transitioned.connect(
            receivers.on_request_transitioned, dispatch_uid="documents.request_transitioned"
        )
