from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"

    def ready(self):
        from workflow import signals

        from . import cache

        signals.request_transitioned.connect(
            cache.request_transitioned, dispatch_uid="tracking-public-status-cache"
        )
