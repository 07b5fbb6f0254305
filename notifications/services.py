"""Outbox actions. Every path (transition listeners, Celery, the sweeper, the webhooks,
the admin) goes through these functions."""

import logging
import random
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from config import ratelimit
from notifications import texts
from notifications.channels import TransportError, get_channel
from notifications.models import (
    Contact,
    DeliveryAttempt,
    Message,
    MessageKind,
    MessageStatus,
    StatusCallback,
    statuses_before,
)
from organization.phones import phone_e164

logger = logging.getLogger(__name__)

# RequestEvent.kind -> the message it sends (other kinds, e.g. claims, send nothing).
EVENT_MESSAGES = {
    "submitted": MessageKind.SUBMITTED,
    "started": MessageKind.STEP_STARTED,
    "advanced": MessageKind.STEP_STARTED,
    "returned": MessageKind.RETURNED,
    "resubmitted": MessageKind.RESUBMITTED,
    "completed": MessageKind.COMPLETED,
    "rejected": MessageKind.REJECTED,
    "cancelled": MessageKind.CANCELLED,
    "closed_unanswered": MessageKind.CLOSED_UNANSWERED,
}
# Twilio's MessageStatus -> ours. Twilio's own early stages add nothing to `sent`.
PROVIDER_STATUSES = {
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.READ,
    "undelivered": MessageStatus.UNDELIVERED,
    "failed": MessageStatus.FAILED,
    "canceled": MessageStatus.FAILED,
}
_TIMESTAMP_FIELD = {
    MessageStatus.SENT: "sent_at",
    MessageStatus.DELIVERED: "delivered_at",
    MessageStatus.READ: "read_at",
    MessageStatus.UNDELIVERED: "failed_at",
    MessageStatus.FAILED: "failed_at",
}


# --- Writing the outbox (inside the transition's transaction) -----------------------------


def message_enqueue(
    *,
    kind: str,
    recipient: str,
    idempotency_key: str,
    request=None,
    event=None,
    task=None,
    step=None,
    note: str = "",
) -> Message | None:
    """Write one outbox row and deliver it after commit. The same key twice writes (and
    sends) nothing more. Call inside the transaction of what the message announces."""
    language = texts.language_for(request)
    text, content_sid = texts.template_text(
        kind=kind, language=language, service=getattr(request, "service", None)
    )
    context = texts.context_for(request=request, step=step, note=note, language=language)
    body = texts.render(text, context)
    message, created = Message.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "request": request,
            "event": event,
            "task": task,
            "kind": kind,
            "recipient": recipient,
            "language": language,
            "body": body,
            "content_sid": content_sid,
            "content_variables": texts.content_variables(context, kind=kind),
        },
    )
    if not created:
        return None
    message_id = message.pk
    transaction.on_commit(lambda: message_dispatch(message_id=message_id))
    return message


def request_transition_notify(*, request, event, task=None) -> Message | None:
    """The applicant's message for one transition of their request."""
    kind = EVENT_MESSAGES.get(event.kind)
    if kind is None or not event.is_transition:
        return None
    recipient = phone_e164(request.applicant_phone)
    if not recipient:
        logger.warning("request %s has no usable phone; no WhatsApp", request.pk)
        return None
    if task is not None:
        step = task.step
    elif kind in (MessageKind.RETURNED, MessageKind.REJECTED):
        step = event.step or request.current_step
    else:
        step = request.current_step or event.step
    return message_enqueue(
        kind=kind,
        recipient=recipient,
        idempotency_key=f"request:{request.pk}:event:{event.pk}:{recipient}:whatsapp",
        request=request,
        event=event,
        task=task,
        step=step,
        note=event.note,
    )


# SkpEvent.action -> the message it sends.
SKP_EVENT_MESSAGES = {
    "submitted": MessageKind.SKP_SUBMITTED,
    "returned": MessageKind.SKP_RETURNED,
    "approved": MessageKind.SKP_APPROVED,
    "reopened": MessageKind.SKP_REOPENED,
}


def skp_transition_notify(*, skp, event) -> list[Message]:
    """One WhatsApp message per person to tell of an SKP transition (the pejabat penilai
    of the day for a submission, the owner otherwise), with a phone on file. Call inside
    the transition's transaction; delivery happens after commit."""
    from skp.selectors import skp_event_audience

    kind = SKP_EVENT_MESSAGES.get(event.action)
    if kind is None:
        return []
    language = texts.language_for(None)
    context = texts.skp_context(skp=skp, note=event.note)
    body = texts.render(texts.SKP_TEXTS[language][kind], context)
    content_sid = texts.configured_content_sid(kind)
    messages = []
    for employee in skp_event_audience(event_id=event.pk, on=timezone.localdate()):
        recipient = phone_e164(employee.phone)
        if not recipient:
            logger.warning(
                "SKP event %s: employee %s has no usable phone; no WhatsApp",
                event.pk,
                employee.pk,
            )
            continue
        message, created = Message.objects.get_or_create(
            idempotency_key=f"skp:{event.pk}:{recipient}:whatsapp",
            defaults={
                "skp_event": event,
                "kind": kind,
                "recipient": recipient,
                "language": language,
                "body": body,
                "content_sid": content_sid,
                "content_variables": texts.skp_content_variables(context),
            },
        )
        if not created:
            continue
        message_id = message.pk
        transaction.on_commit(lambda message_id=message_id: message_dispatch(message_id=message_id))
        messages.append(message)
    return messages


def notice_enqueue(*, kind: str, recipient: str, context: dict, idempotency_key: str):
    """A message that is not about a request's transition (e.g. a complaint answered), in
    the default text of `kind` (texts.NOTICE_TEXTS). Call inside the transaction of what it
    announces; the same key twice writes nothing more."""
    recipient = phone_e164(recipient)
    if not recipient:
        return None
    language = texts.language_for(None)
    message, created = Message.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "kind": kind,
            "recipient": recipient,
            "language": language,
            "body": texts.render(texts.NOTICE_TEXTS[language][kind], context),
            "content_sid": texts.configured_content_sid(kind),
            "content_variables": {"1": context.get("number", ""), "2": context.get("url", "")},
        },
    )
    if not created:
        return None
    message_id = message.pk
    transaction.on_commit(lambda: message_dispatch(message_id=message_id))
    return message


# EvaluationEvent.action -> the message it sends.
EVALUATION_EVENT_MESSAGES = {
    "submitted": MessageKind.SKP_EVAL_SUBMITTED,
    "returned": MessageKind.SKP_EVAL_RETURNED,
    "rated": MessageKind.SKP_EVAL_RATED,
}


def _employees_notify(*, kind, context, employees, key: str, links: dict) -> list[Message]:
    """One WhatsApp message per employee with a usable phone (`key` + recipient makes the
    idempotency key). Call inside the announcing transaction; delivery after commit."""
    language = texts.language_for(None)
    body = texts.render(texts.SKP_TEXTS[language][kind], context)
    content_sid = texts.configured_content_sid(kind)
    messages = []
    for employee in employees:
        recipient = phone_e164(employee.phone)
        if not recipient:
            logger.warning("%s: employee %s has no usable phone; no WhatsApp", key, employee.pk)
            continue
        message, created = Message.objects.get_or_create(
            idempotency_key=f"{key}:{recipient}:whatsapp",
            defaults={
                **links,
                "kind": kind,
                "recipient": recipient,
                "language": language,
                "body": body,
                "content_sid": content_sid,
                "content_variables": texts.skp_content_variables(context),
            },
        )
        if created:
            message_id = message.pk
            transaction.on_commit(
                lambda message_id=message_id: message_dispatch(message_id=message_id)
            )
            messages.append(message)
    return messages


def evaluation_transition_notify(*, evaluation, event) -> list[Message]:
    """The pejabat penilai of the day when a period is submitted; the owner when it is
    returned or rated."""
    from skp.rules import Predikat
    from skp.selectors_evaluation import evaluation_event_audience

    kind = EVALUATION_EVENT_MESSAGES.get(event.action)
    if kind is None:
        return []
    context = texts.skp_context(
        skp=evaluation.skp,
        note=event.note,
        period=evaluation.period,
        predikat=str(Predikat(evaluation.predikat).label) if evaluation.predikat else "",
    )
    return _employees_notify(
        kind=kind,
        context=context,
        employees=evaluation_event_audience(event=event, on=timezone.localdate()),
        key=f"skp-evaluation:{event.pk}",
        links={"evaluation_event": event},
    )


def period_lock_notify(*, lock, event) -> list[Message]:
    """Everyone affected by a locked month: the office's employees with an approved SKP."""
    from skp.models import Skp
    from skp.selectors_evaluation import period_lock_audience

    messages = []
    skps = {
        s.employee_id: s
        for s in Skp.objects.filter(
            year=lock.year, position__unit__office_id=lock.office_id
        ).select_related("employee")
    }
    for employee in period_lock_audience(lock=lock):
        skp = skps.get(employee.pk)
        if skp is None:
            continue
        context = texts.skp_context(
            skp=skp, period=f"{lock.year}-{lock.month:02d}", payment_ref=lock.payment_ref
        )
        messages += _employees_notify(
            kind=MessageKind.SKP_PERIOD_LOCKED,
            context=context,
            employees=[employee],
            key=f"period-lock:{event.pk}",
            links={},
        )
    return messages


def task_overdue_notify(*, task, supervisors) -> list[Message]:
    """A reminder to each supervisor (and the assignee) with a phone on file."""
    users = list(supervisors)
    if task.assigned_to_id and task.assigned_to not in users:
        users.append(task.assigned_to)
    messages = []
    for user in users:
        employee = getattr(user, "employee", None)
        phone = phone_e164(getattr(employee, "phone", ""))
        if not phone:
            continue
        message = message_enqueue(
            kind=MessageKind.OVERDUE,
            recipient=phone,
            idempotency_key=f"task:{task.pk}:overdue:{task.due_date}:{phone}:whatsapp",
            request=task.request,
            task=task,
            step=task.step,
        )
        if message:
            messages.append(message)
    return messages


def message_resend(*, message_id: int) -> Message | None:
    """Staff's "send again" for a failed message: a new row (the failed one stays as
    history), delivered after commit."""
    with transaction.atomic():
        original = Message.objects.select_for_update().get(pk=message_id)
        if original.status not in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
            return None
        count = Message.objects.filter(
            idempotency_key__startswith=f"{original.idempotency_key}:resend:"
        ).count()
        fields = {
            f.name: getattr(original, f.name)
            for f in Message._meta.concrete_fields
            if f.name
            in (
                "request",
                "event",
                "task",
                "skp_event",
                "evaluation_event",
                "kind",
                "recipient",
                "channel",
                "language",
                "body",
                "content_sid",
                "content_variables",
            )
        }
        copy = Message.objects.create(
            idempotency_key=f"{original.idempotency_key}:resend:{count + 1}", **fields
        )
        transaction.on_commit(lambda: message_dispatch(message_id=copy.pk))
    return copy


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
        return False
    try:
        deliver_message.apply_async((message_id,), countdown=countdown, retry=False)
    except Exception:  # noqa: BLE001 - kombu/redis errors vary; the sweeper covers them all
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("could not dispatch message %s; the sweeper will", message_id, exc_info=1)
        return False
    Message.objects.filter(pk=message_id).update(dispatched_at=timezone.now())
    return True


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
    attempt and its outcome."""
    now = timezone.now()
    message = Message.objects.filter(pk=message_id).first()
    if message is None or message.status != MessageStatus.QUEUED:
        return DeliveryOutcome("skipped")
    if message.next_attempt_at and message.next_attempt_at > now + timedelta(seconds=1):
        return DeliveryOutcome("skipped")  # an early duplicate; the scheduled one will come
    # Twilio's rate per sender (a second's wait: the task comes back), then a cap per
    # destination phone, so someone submitting requests with a stranger's number cannot
    # flood that phone: the message waits for the window (the sweeper sends it then). Both
    # defer without counting an attempt; nothing is dropped.
    wait = ratelimit.hit(
        "whatsapp_send", settings.TWILIO_WHATSAPP_FROM or settings.WHATSAPP_BACKEND
    )
    if wait:
        return DeliveryOutcome("throttled", retry_in=wait + random.uniform(0, 0.2))
    wait = ratelimit.hit("whatsapp_phone", message.recipient)
    if wait:
        Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
            next_attempt_at=now + timedelta(seconds=wait)
        )
        return DeliveryOutcome("deferred")
    claimed = Message.objects.filter(
        pk=message_id, status=MessageStatus.QUEUED, provider_sid__isnull=True
    ).update(
        status=MessageStatus.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        status_changed_at=now,
    )
    if claimed != 1:
        return DeliveryOutcome("skipped")
    # The claim makes this worker the row's only writer until it settles the outcome.
    message.status, message.claimed_at = MessageStatus.SENDING, now
    message.attempts += 1
    attempt = DeliveryAttempt.objects.create(
        message=message,
        number=message.attempts,
        backend=settings.WHATSAPP_BACKEND,
        started_at=now,
    )
    try:
        channel = get_channel()
        result = channel.send(message)
    except TransportError as exc:
        return _delivery_failed(message, attempt, exc)
    except Exception as exc:  # noqa: BLE001 - one channel's bug must not kill the worker
        logger.exception("channel crashed sending message %s", message.pk)
        return _delivery_failed(message, attempt, TransportError(repr(exc)[:400], code="error"))
    done = timezone.now()
    DeliveryAttempt.objects.filter(pk=attempt.pk).update(
        outcome=DeliveryAttempt.Outcome.ACCEPTED, provider_sid=result.provider_sid, finished_at=done
    )
    _record_accepted(message.pk, result.provider_sid, backend=channel.name, at=done)
    return DeliveryOutcome("sent")


def _record_accepted(message_id: int, provider_sid: str, *, backend: str, at) -> None:
    Message.objects.filter(pk=message_id).update(
        provider_sid=provider_sid,
        backend=backend,
        sent_at=Coalesce(F("sent_at"), at),
        error_code="",
        error_message="",
    )
    # A status callback may already have moved it further: forward only.
    Message.objects.filter(pk=message_id, status__in=statuses_before(MessageStatus.SENT)).update(
        status=MessageStatus.SENT, status_changed_at=at
    )


def _delivery_failed(message, attempt, exc: TransportError) -> DeliveryOutcome:
    now = timezone.now()
    if exc.ambiguous:
        outcome = DeliveryAttempt.Outcome.UNKNOWN
    elif exc.permanent:
        outcome = DeliveryAttempt.Outcome.PERMANENT
    else:
        outcome = DeliveryAttempt.Outcome.TRANSIENT
    DeliveryAttempt.objects.filter(pk=attempt.pk).update(
        outcome=outcome, error_code=exc.code, error_message=exc.message[:500], finished_at=now
    )
    errors = {"error_code": exc.code, "error_message": exc.message[:500]}
    sending = Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING)
    if exc.ambiguous:
        # Twilio may have accepted it: leave it `sending`; the sweeper asks Twilio before
        # it ever sends again.
        sending.update(**errors)
        logger.warning("message %s: outcome unknown (%s)", message.pk, exc.message)
        return DeliveryOutcome("unknown")
    if exc.permanent or message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        if not exc.permanent:
            errors["error_message"] = f"gave up after {message.attempts} attempts: {exc.message}"[
                :500
            ]
        sending.update(status=MessageStatus.FAILED, failed_at=now, status_changed_at=now, **errors)
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
    settle the `sending` rows a dead worker left behind."""
    now = now or timezone.now()
    report = SweepReport()
    lost_before = now - timedelta(seconds=settings.NOTIFICATIONS_LOST_AFTER_SECONDS)
    stuck_before = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT_SECONDS)

    lost = list(
        Message.objects.filter(status=MessageStatus.QUEUED)
        .filter(
            Q(next_attempt_at__lt=lost_before)
            | Q(next_attempt_at__isnull=True, created_at__lt=lost_before)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    )
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
        DeliveryAttempt.objects.filter(
            message=message, outcome=DeliveryAttempt.Outcome.PENDING
        ).update(outcome=DeliveryAttempt.Outcome.UNKNOWN, finished_at=now)
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


# --- Provider callbacks and inbound messages -------------------------------------------------


def message_status_apply(
    *,
    provider_sid: str,
    provider_status: str,
    error_code: str = "",
    error_message: str = "",
    message_id: int | None = None,
) -> bool:
    """Apply one delivery-status callback. Forward only: a replayed or out-of-order
    callback changes nothing. True when the row moved."""
    provider_status = (provider_status or "").lower()
    message = Message.objects.filter(provider_sid=provider_sid).only("pk").first()
    if message is None and message_id:
        # The callback overtook our own record of the sid (or the worker died after the
        # provider accepted it): the signed `m` parameter names the row.
        Message.objects.filter(pk=message_id, provider_sid__isnull=True).update(
            provider_sid=provider_sid
        )
        message = Message.objects.filter(pk=message_id, provider_sid=provider_sid).first()
    status = PROVIDER_STATUSES.get(provider_status)
    applied = False
    if message is not None and status is not None:
        now = timezone.now()
        changes = {"status": status, "status_changed_at": now, _TIMESTAMP_FIELD[status]: now}
        if status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
            changes["error_code"] = str(error_code or "")[:20]
            changes["error_message"] = (error_message or f"Twilio: {provider_status}")[:500]
        elif status in (MessageStatus.DELIVERED, MessageStatus.READ):
            changes["error_code"] = ""
            changes["error_message"] = ""
        if status != MessageStatus.SENT:
            changes.setdefault("sent_at", Coalesce(F("sent_at"), now))
        applied = bool(
            Message.objects.filter(pk=message.pk, status__in=statuses_before(status)).update(
                **changes
            )
        )
    StatusCallback.objects.create(
        message=message,
        provider_sid=provider_sid[:64],
        provider_status=provider_status[:20],
        error_code=str(error_code or "")[:20],
        applied=applied,
    )
    return applied


_COMMAND = re.compile(r"^\s*(?:status|cek)\b[\s:#]*(?P<number>.*?)\s*$", re.IGNORECASE | re.DOTALL)


def inbound_message_receive(*, sender: str, body: str) -> str:
    """Record that `sender` wrote to us (opens WhatsApp's 24-hour window) and answer."""
    from notifications import selectors

    phone = phone_e164(sender) or (sender or "")[:20]
    Contact.objects.update_or_create(phone=phone, defaults={"last_inbound_at": timezone.now()})
    language = texts.language_for(None)
    match = _COMMAND.match(body or "")
    if not match or not match.group("number"):
        return texts.HELP_TEXT[language]
    return selectors.status_reply(typed=match.group("number"), language=language)
