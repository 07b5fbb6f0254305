"""Celery tasks of the workflow: thin wrappers that call the services."""

from celery import shared_task

from . import services


@shared_task(name="workflow.tasks.mark_overdue_tasks", acks_late=True)
def mark_overdue_tasks() -> int:
    """Every 15 minutes (CELERY_BEAT_SCHEDULE): flag open tasks past their due date and
    tell the unit's supervisors (`task_overdue`). Idempotent: each task is flagged once."""
    return services.tasks_mark_overdue()
