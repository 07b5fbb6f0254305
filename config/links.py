"""Absolute public addresses: every link that leaves the site (WhatsApp messages, QR
codes, receipts, Twilio callbacks, letters) is built here, under PUBLIC_BASE_URL.
Project machinery like config.exceptions, so every room may import it."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (starting with /) under PUBLIC_BASE_URL, the address the public reaches."""
    return f"{settings.PUBLIC_BASE_URL}{path}"
