"""The Celery app. Without REDIS_URL, tasks run eagerly in-process (CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("alur")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_old_database_connections(sender=None, **kwargs):
    """Around each task, what Django does around each request: close a connection that
    is past CONN_MAX_AGE or broken, keep a good one (Celery's own fixup would close every
    one; settings.CELERY_DB_REUSE_MAX)."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
