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


_cache: dict[tuple, Channel] = {}


def get_channel(name: str | None = None) -> Channel:
    """The configured channel. Instances are kept per configuration, so a worker reuses
    its HTTP connections to Twilio from one message to the next."""
    name = name or settings.WHATSAPP_BACKEND
    try:
        cls = REGISTRY[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"WHATSAPP_BACKEND={name!r}: choose one of {', '.join(sorted(REGISTRY))}"
        ) from None
    key = (name, *cls.configuration())
    channel = _cache.get(key)
    if channel is None:
        channel = _cache[key] = cls()
    return channel


__all__ = ["Channel", "SendResult", "TransportError", "get_channel", "REGISTRY"]
