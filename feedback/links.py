"""Absolute links of the feedback pages (in WhatsApp messages)."""

from django.conf import settings
from django.urls import reverse


def complaint_access_url(complaint) -> str:
    path = reverse("feedback:complaint-detail", args=[complaint.tracking_code])
    return f"{settings.PUBLIC_BASE_URL}{path}?token={complaint.access_token}"
