"""Listeners of the workflow's (and SKP's) announcements: they only write outbox rows (inside the
transition's transaction); delivery happens after commit."""

from notifications import services


def on_request_transitioned(sender, *, request, event, task=None, **kwargs):
    services.request_transition_notify(request=request, event=event, task=task)


def on_task_overdue(sender, *, task, supervisors=(), **kwargs):
    services.task_overdue_notify(task=task, supervisors=supervisors)


def on_skp_transition_recorded(sender, *, skp, event, **kwargs):
    services.skp_transition_notify(skp=skp, event=event)


def on_evaluation_transition_recorded(sender, *, evaluation, event, **kwargs):
    services.evaluation_transition_notify(evaluation=evaluation, event=event)


def on_period_lock_recorded(sender, *, lock, event, period=None, **kwargs):
    services.period_lock_notify(lock=lock, event=event, period=period)
