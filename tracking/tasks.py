"""Celery tasks of the tracking app: thin wrappers that call the services."""

from celery import shared_task

from . import services


@shared_task(name="tracking.tasks.prune_form_submissions", acks_late=True)
def prune_form_submissions() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): drop one-time form tokens older than a day."""
    return services.form_submissions_prune()
