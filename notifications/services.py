"""Outbox actions. Every path (transition listeners, Celery, the sweeper, the webhooks,
the admin) goes through these functions."""

import logging

from django.db import transaction
from django.db.models.constants import OnConflict
from django.utils import timezone

from notifications import texts
from notifications.models import (
    Message,
    MessageKind,
    MessageStatus,
)
from organization.phones import phone_e164

# Delivery and what arrives from the provider have modules of their own; callers keep
# importing them from here (one definition each, re-exported).
from .services_delivery import (  # noqa: F401
    BROKER_BACKOFF_SECONDS,
    DeliveryOutcome,
    SweepReport,
    message_deliver,
    message_dispatch,
    outbox_sweep,
    retry_delay,
)
from .services_inbound import PROVIDER_STATUSES, inbound_message_receive, message_status_apply  # noqa: F401

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
    message = _create_once(
        Message(
            idempotency_key=idempotency_key,
            request=request,
            event=event,
            task=task,
            kind=kind,
            recipient=recipient,
            language=language,
            body=body,
            content_sid=content_sid,
            content_variables=texts.content_variables(context, kind=kind),
        )
    )
    if message is None:
        return None
    message_id = message.pk
    transaction.on_commit(lambda: message_dispatch(message_id=message_id))
    return message


def _create_once(message: Message) -> Message | None:
    """Insert `message`, or nothing when its idempotency key is taken (None): one
    `INSERT ... ON CONFLICT DO NOTHING RETURNING id`, the key's unique index deciding
    (profiled: a read first, then a savepoint around the insert, were three statements
    of every transition's message). The only unique columns a new row can collide on
    are the key and the primary key (the provider id is NULL until it is sent)."""
    fields = [f for f in Message._meta.concrete_fields if not f.primary_key]
    inserted = Message._base_manager._insert(
        [message],
        fields=fields,
        returning_fields=[Message._meta.pk],
        on_conflict=OnConflict.IGNORE,
    )
    if not inserted:
        return None
    message.pk = inserted[0][0]
    message._state.adding = False
    message._state.db = Message._base_manager.db
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
    return _employees_notify(
        kind=kind,
        context=texts.skp_context(skp=skp, note=event.note),
        employees=skp_event_audience(event_id=event.pk, on=timezone.localdate()),
        key=f"skp:{event.pk}",
        links={"skp_event": event},
    )


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


def period_lock_notify(*, lock, event, period: str | None = None) -> list[Message]:
    """Everyone affected by a locked month (or quarter, `period` "YYYY-Qn"): the office's
    employees with an approved SKP, once per lock action."""
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
            skp=skp,
            period=period or f"{lock.year}-{lock.month:02d}",
            payment_ref=lock.payment_ref,
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
