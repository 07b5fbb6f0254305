import logging

from .base import Channel, SendResult

logger = logging.getLogger("notifications.console")


class ConsoleChannel(Channel):
    """Development: the message stays in the outbox (shown at /staf/pesan/) and is logged."""

    name = "console"

    def send(self, message) -> SendResult:
        logger.info("WhatsApp to %s:\n%s", message.recipient, message.body)
        return SendResult(provider_sid=f"console-{message.pk}")

    def find_accepted(self, message) -> str | None:
        return None
