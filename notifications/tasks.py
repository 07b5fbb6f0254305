"""Celery tasks: ids in, services do the work; retry policy lives here."""

import time

from celery import shared_task

from notifications import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_message(self, message_id: int) -> str:
    """Deliver one outbox row. Safe to run twice: the service claims the row first.

    A retry (temporary error, or over the send-rate limit) is a new task scheduled with a
    countdown (`services.retry_delay`, capped below the broker's visibility timeout), so
    the worker never sleeps on it and other tasks are not starved. In-process (eager)
    mode waits out the rate window, and leaves retries of errors to the sweeper (the row
    keeps its `next_attempt_at`).
    """
    while True:
        outcome = services.message_deliver(message_id=message_id)
        if outcome.status == "throttled" and self.request.is_eager:
            time.sleep(outcome.retry_in)
            continue
        break
    if outcome.retry_in is not None and not self.request.is_eager:
        services.message_dispatch(message_id=message_id, countdown=outcome.retry_in)
    return outcome.status


@shared_task(ignore_result=True)
def sweep_outbox() -> dict:
    return vars(services.outbox_sweep())
