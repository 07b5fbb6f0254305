"""Celery tasks: ids in, services do the work; retry policy lives here."""

import time

from celery import shared_task

from notifications import services

# The longest a delivery task waits in the worker for the send rate's next window
# (windows of a second, plus jitter) before it hands the message back with a countdown.
THROTTLE_WAIT_SECONDS = 2.5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_message(self, message_id: int) -> str:
    """Deliver one outbox row. Safe to run twice: the service claims the row first.

    Over the send rate (Twilio's per sender, windows of a second) the task waits for the
    next window itself, up to THROTTLE_WAIT_SECONDS: every task behind it in the queue
    is for the same sender and would be throttled too, and a task sent back with a
    countdown is held by the worker and comes back with all the others at the start of
    the window (profiled at the ceiling: most of them throttled again, each round a
    publish and a task's overhead). A retry of a temporary error is a new task with a
    countdown (`services.retry_delay`, capped below the broker's visibility timeout), so
    the worker never sleeps on it. In-process (eager) mode waits out the rate window
    however long, and leaves retries of errors to the sweeper (the row keeps its
    `next_attempt_at`).
    """
    waited = 0.0
    while True:
        outcome = services.message_deliver(message_id=message_id)
        if outcome.status == "throttled" and (
            self.request.is_eager or waited + outcome.retry_in <= THROTTLE_WAIT_SECONDS
        ):
            time.sleep(outcome.retry_in)
            waited += outcome.retry_in
            continue
        break
    if outcome.retry_in is not None and not self.request.is_eager:
        services.message_dispatch(message_id=message_id, countdown=outcome.retry_in)
    return outcome.status


@shared_task(ignore_result=True)
def sweep_outbox() -> dict:
    return vars(services.outbox_sweep())
