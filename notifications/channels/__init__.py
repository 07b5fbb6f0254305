"""Delivery channels: one class per backend, chosen by `settings.WHATSAPP_BACKEND`."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import Channel, SendResult, TransportError
from .console import ConsoleChannel
from .twilio import TwilioChannel

REGISTRY: dict[str, type[Channel]] = {
    "console": ConsoleChannel,
    "twilio": TwilioChannel,
}


def get_channel(name: str | None = None) -> Channel:
    name = name or settings.WHATSAPP_BACKEND
    try:
        return REGISTRY[name]()
    except KeyError:
        raise ImproperlyConfigured(
            f"WHATSAPP_BACKEND={name!r}: choose one of {', '.join(sorted(REGISTRY))}"
        ) from None


__all__ = ["Channel", "SendResult", "TransportError", "get_channel", "REGISTRY"]
