"""Delivering the outbox: dispatch to Celery, one claimed send per row with every attempt
recorded, and the sweeper that settles what a lost dispatch or a dead worker left behind."""

import logging
import random
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from config import ratelimit
from notifications import outbox_sql
from notifications.channels import TransportError, get_channel
from notifications.models import DeliveryAttempt, Message, MessageStatus

logger = logging.getLogger(__name__)


# --- Dispatch and delivery -------------------------------------------------------------------


# After a failed publish, skip the broker for a while: a dead Redis costs each publish
# seconds of connection retries, and the sweeper re-dispatches those rows anyway.
BROKER_BACKOFF_SECONDS = 15.0
_broker_down_until = 0.0


def message_dispatch(*, message_id: int, countdown: float | None = None) -> bool:
    """Hand the delivery to Celery. Never raises: if the broker is down the row stays
    `queued` and the sweeper dispatches it again later."""
    global _broker_down_until
    from notifications.tasks import deliver_message

    eager = deliver_message.app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until:
        logger.info("broker recently down: message %s left for the sweeper", message_id)
        _not_in_broker(message_id)
        return False
    try:
        deliver_message.apply_async((message_id,), countdown=countdown, retry=False)
    except Exception:  # noqa: BLE001 - kombu/redis errors vary; the sweeper covers them all
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("could not dispatch message %s; the sweeper will", message_id, exc_info=1)
        _not_in_broker(message_id)
        return False
    Message.objects.filter(pk=message_id).update(dispatched_at=timezone.now())
    return True


def _not_in_broker(message_id: int) -> None:
    """`dispatched_at` is set while a delivery task for the row may wait in the broker;
    cleared when none does, so the sweeper sends such a row even while a backlog waits."""
    Message.objects.filter(pk=message_id, dispatched_at__isnull=False).update(dispatched_at=None)


def deliveries_waiting() -> int:
    """Delivery tasks waiting in the broker's queue (0 in-process, or when the broker
    cannot say: the dispatch then fails and is handled as any failed dispatch)."""
    from notifications.tasks import deliver_message

    app = deliver_message.app
    if app.conf.task_always_eager:
        return 0
    queue = getattr(deliver_message, "queue", None) or app.conf.task_default_queue
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
            return connection.default_channel.queue_declare(queue, passive=True).message_count
    except Exception:  # noqa: BLE001 - an empty Redis queue does not exist: NOT_FOUND
        return 0


@dataclass(frozen=True)
class DeliveryOutcome:
    status: str  # what happened: sent / failed / retry / skipped / throttled / unknown
    retry_in: float | None = None


def retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with jitter, capped well below the broker's visibility timeout
    (a delayed Redis task not acked within it would be handed out a second time)."""
    cap = min(
        settings.NOTIFICATIONS_RETRY_MAX_SECONDS,
        settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600) / 4,
    )
    delay = settings.NOTIFICATIONS_RETRY_BASE_SECONDS * (2 ** max(attempt - 1, 0))
    delay = min(cap, delay) * random.uniform(0.5, 1.0)
    if retry_after:
        delay = max(delay, min(cap, retry_after))
    return round(delay, 3)


def message_deliver(*, message_id: int) -> DeliveryOutcome:
    """Send one outbox row, once. Claim first (queued -> sending with a conditional
    update), so a redelivered or duplicated task finds nothing to do; then record the
    attempt with its outcome.

    Twilio's rate per sender is checked before anything is read (a second's wait: the
    task comes back); then, on the claimed row, a cap per destination phone, so someone
    submitting requests with a stranger's number cannot flood that phone: the message
    is handed back to wait for the window (the sweeper sends it then). Neither counts
    an attempt; nothing is dropped."""
    wait = ratelimit.hit(
        "whatsapp_send", settings.TWILIO_WHATSAPP_FROM or settings.WHATSAPP_BACKEND
    )
    if wait:
        return DeliveryOutcome("throttled", retry_in=wait + random.uniform(0, 0.2))
    now = timezone.now()
    # Not queued, already sent, or a retry scheduled later (an early duplicate): skip.
    message = outbox_sql.message_claim(
        message_id=message_id, now=now, due_by=now + timedelta(seconds=1)
    )
    if message is None:
        return DeliveryOutcome("skipped")
    wait = ratelimit.hit("whatsapp_phone", message.recipient)
    if wait:
        Message.objects.filter(pk=message_id, status=MessageStatus.SENDING, claimed_at=now).update(
            status=MessageStatus.QUEUED,
            attempts=F("attempts") - 1,
            next_attempt_at=now + timedelta(seconds=wait),
            status_changed_at=now,
            dispatched_at=None,  # no task holds it now: the sweeper sends it
        )
        return DeliveryOutcome("deferred")
    # The claim makes this worker the row's only writer until it settles the outcome; it
    # also records the attempt in flight (`attempts`, `claimed_at`): a worker dying
    # mid-send leaves a `sending` row the sweeper settles.
    try:
        channel = get_channel()
        result = channel.send(message)
    except TransportError as exc:
        return _delivery_failed(message, exc)
    except Exception as exc:  # noqa: BLE001 - one channel's bug must not kill the worker
        logger.exception("channel crashed sending message %s", message.pk)
        return _delivery_failed(message, TransportError(repr(exc)[:400], code="error"))
    # The attempt and the row's `sent`, together (forward only, as `_record_accepted`).
    outbox_sql.attempt_accepted_record(
        message_id=message.pk,
        number=message.attempts,
        backend=settings.WHATSAPP_BACKEND,
        started_at=now,
        finished_at=timezone.now(),
        outcome=DeliveryAttempt.Outcome.ACCEPTED,
        provider_sid=result.provider_sid,
        channel=channel.name,
    )
    return DeliveryOutcome("sent")


def _record_accepted(message_id: int, provider_sid: str, *, backend: str, at) -> None:
    # A status callback may already have moved it further: the status only goes forward.
    outbox_sql.message_mark_accepted(
        message_id=message_id, provider_sid=provider_sid, backend=backend, at=at
    )


def _delivery_failed(message, exc: TransportError) -> DeliveryOutcome:
    now = timezone.now()
    if exc.ambiguous:
        outcome = DeliveryAttempt.Outcome.UNKNOWN
    elif exc.permanent:
        outcome = DeliveryAttempt.Outcome.PERMANENT
    else:
        outcome = DeliveryAttempt.Outcome.TRANSIENT
    errors = {"error_code": exc.code, "error_message": exc.message[:500]}
    sending = Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING)
    with transaction.atomic():
        outbox_sql.attempt_record(
            message_id=message.pk,
            number=message.attempts,
            backend=settings.WHATSAPP_BACKEND,
            started_at=message.claimed_at,
            finished_at=now,
            outcome=outcome,
            **errors,
        )
        if exc.ambiguous:
            # Twilio may have accepted it: leave it `sending`; the sweeper asks Twilio
            # before it ever sends again.
            sending.update(**errors)
            logger.warning("message %s: outcome unknown (%s)", message.pk, exc.message)
            return DeliveryOutcome("unknown")
        if exc.permanent or message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            if not exc.permanent:
                errors["error_message"] = (
                    f"gave up after {message.attempts} attempts: {exc.message}"[:500]
                )
            sending.update(
                status=MessageStatus.FAILED, failed_at=now, status_changed_at=now, **errors
            )
            logger.warning("message %s failed: %s %s", message.pk, exc.code, exc.message)
            return DeliveryOutcome("failed")
        delay = retry_delay(message.attempts, exc.retry_after)
        sending.update(
            status=MessageStatus.QUEUED,
            next_attempt_at=now + timedelta(seconds=delay),
            status_changed_at=now,
            **errors,
        )
    logger.info("message %s: temporary error %s, retry in %.1fs", message.pk, exc.code, delay)
    return DeliveryOutcome("retry", retry_in=delay)


# --- The sweeper -----------------------------------------------------------------------------


@dataclass
class SweepReport:
    redispatched: int = 0
    reconciled_sent: int = 0
    requeued: int = 0
    undecided: int = 0


def outbox_sweep(*, now=None, batch: int = 500) -> SweepReport:
    """Beat, every minute: dispatch again the `queued` rows whose dispatch was lost, and
    settle the `sending` rows a dead worker left behind.

    While delivery tasks still wait in the broker, a row that was handed to it is
    taken to be among them, until NOTIFICATIONS_BACKLOG_TRUST_SECONDS have passed: after
    an outage the backlog drains slower than the grace period, and sending each waiting
    row again made duplicates the worker had to skip, so the queue grew faster than it
    drained (the fault tests once held 19,000 tasks for 2,200 rows, none sent for
    minutes). Rows never handed over (`dispatched_at` empty) are sent at once; a Redis
    restart that empties the queue lets every lost row be sent again."""
    now = now or timezone.now()
    report = SweepReport()
    lost_before = now - timedelta(seconds=settings.NOTIFICATIONS_LOST_AFTER_SECONDS)
    stuck_before = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS)

    due = Message.objects.filter(status=MessageStatus.QUEUED).filter(
        Q(next_attempt_at__lt=lost_before)
        | Q(next_attempt_at__isnull=True, created_at__lt=lost_before)
    )
    if due.exists() and deliveries_waiting():
        trusted_after = now - timedelta(seconds=settings.NOTIFICATIONS_BACKLOG_TRUST_SECONDS)
        due = due.filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=trusted_after))
    lost = list(due.order_by("created_at").values_list("pk", flat=True)[:batch])
    for message_id in lost:
        # Not again for another grace period, however this dispatch fares.
        Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
            next_attempt_at=now
        )
        if message_dispatch(message_id=message_id):
            report.redispatched += 1

    stuck = list(
        Message.objects.filter(status=MessageStatus.SENDING, claimed_at__lt=stuck_before).order_by(
            "claimed_at"
        )[:batch]
    )
    channel = None
    for message in stuck:
        provider_sid = message.provider_sid
        if not provider_sid:
            try:
                channel = channel or get_channel()
                provider_sid = channel.find_accepted(message)
            except TransportError as exc:
                logger.warning("message %s: cannot ask the provider (%s)", message.pk, exc)
                report.undecided += 1
                continue
        _attempt_settle_unknown(message, now)
        if provider_sid:
            _record_accepted(message.pk, provider_sid, backend=message.backend, at=now)
            report.reconciled_sent += 1
            continue
        # The provider never got it: the worker died before (or while) sending.
        requeued = Message.objects.filter(
            pk=message.pk,
            status=MessageStatus.SENDING,
            claimed_at=message.claimed_at,
            provider_sid__isnull=True,
        ).update(status=MessageStatus.QUEUED, next_attempt_at=now, status_changed_at=now)
        if requeued:
            report.requeued += 1
            message_dispatch(message_id=message.pk)
    if lost or stuck:
        logger.info("outbox sweep: %s", report)
    return report


def _attempt_settle_unknown(message, now) -> None:
    """The stuck row's last attempt, whose outcome its worker never recorded, becomes
    `unknown` (rows written before attempts were recorded with their outcome may still
    have an `in flight` one)."""
    DeliveryAttempt.objects.filter(message=message, outcome=DeliveryAttempt.Outcome.PENDING).update(
        outcome=DeliveryAttempt.Outcome.UNKNOWN, finished_at=now
    )
    if not DeliveryAttempt.objects.filter(message=message, number=message.attempts).exists():
        DeliveryAttempt.objects.create(
            message=message,
            number=message.attempts,
            backend=message.backend or settings.WHATSAPP_BACKEND,
            started_at=message.claimed_at or now,
            finished_at=now,
            outcome=DeliveryAttempt.Outcome.UNKNOWN,
        )
