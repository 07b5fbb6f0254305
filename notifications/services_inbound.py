"""What arrives from the provider: delivery-status callbacks (forward only) and the
messages citizens write to us (the 24-hour window, the "status <number>" command)."""

import re

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from notifications import texts
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
