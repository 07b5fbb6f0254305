"""Celery tasks of the workflow: thin wrappers."""

from celery import shared_task
from viewflow.workflow.timers import fire_due_timers


@shared_task(name="workflow.tasks.fire_workflow_timers", acks_late=True)
def fire_workflow_timers() -> int:
    """Every 5 minutes (CELERY_BEAT_SCHEDULE): viewflow's timer dispatcher (what its
    `workflow_timers` command runs) fires the flow's due deadlines: overdue steps (the
    unit's supervisors told) and corrections not sent in time (the request closed).
    Safe to overlap: each timer is re-checked under the request's lock and fires once."""
    return fire_due_timers()
