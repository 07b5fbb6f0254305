"""What arrives from the provider: delivery-status callbacks (forward only) and the
messages citizens write to us (the 24-hour window, the "status <number>" command)."""

import re

from django.utils import timezone

from notifications import outbox_sql, texts
from notifications.models import Contact, Message, MessageStatus, StatusCallback, statuses_before
from organization.phones import phone_e164

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


# --- Provider callbacks and inbound messages -------------------------------------------------


def message_status_apply(
    *,
    provider_sid: str,
    provider_status: str,
    error_code: str = "",
    error_message: str = "",
    message_id: int | None = None,
) -> bool:
    """Apply one delivery-status callback and keep its audit row. Forward only: a
    replayed or out-of-order callback changes nothing. True when the row moved.

    Two statements when the row has its provider id (a conditional UPDATE, then the
    audit row, which finds the message itself); Twilio's own early stages (`queued`)
    only the audit row."""
    provider_status = (provider_status or "").lower()
    status = PROVIDER_STATUSES.get(provider_status)
    now = timezone.now()
    changes = _changes(status, provider_status, error_code, error_message, now)
    moved = None
    if status is not None:
        moved = outbox_sql.message_advance(
            changes=changes, where={"provider_sid": provider_sid}, before=statuses_before(status)
        )
    audit = {"provider_status": provider_status[:20], "error_code": str(error_code or "")[:20]}
    callback_id, found = outbox_sql.callback_record(
        message_id=moved, provider_sid=provider_sid[:64], applied=moved is not None, at=now, **audit
    )
    if found is None and message_id:
        # The callback overtook our own record of the sid (or the worker died after the
        # provider accepted it): the signed `m` parameter names the row.
        Message.objects.filter(pk=message_id, provider_sid__isnull=True).update(
            provider_sid=provider_sid
        )
        if Message.objects.filter(pk=message_id, provider_sid=provider_sid).exists():
            if status is not None:
                moved = outbox_sql.message_advance(
                    changes=changes, where={"id": message_id}, before=statuses_before(status)
                )
            StatusCallback.objects.filter(pk=callback_id).update(
                message_id=message_id, applied=moved is not None
            )
    return moved is not None


def _changes(status, provider_status: str, error_code, error_message, now) -> dict:
    if status is None:
        return {}
    changes = {"status": status, "status_changed_at": now, _TIMESTAMP_FIELD[status]: now}
    if status in (MessageStatus.FAILED, MessageStatus.UNDELIVERED):
        changes["error_code"] = str(error_code or "")[:20]
        changes["error_message"] = (error_message or f"Twilio: {provider_status}")[:500]
    elif status in (MessageStatus.DELIVERED, MessageStatus.READ):
        changes["error_code"] = ""
        changes["error_message"] = ""
    if status != MessageStatus.SENT:
        changes.setdefault("sent_at", ("coalesce", now))
    return changes


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
