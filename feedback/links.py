"""Absolute links of the feedback pages (in WhatsApp messages)."""

from django.urls import reverse

from config.links import absolute_url


def complaint_access_url(complaint) -> str:
    path = reverse("feedback:complaint-detail", args=[complaint.tracking_code])
    return absolute_url(f"{path}?token={complaint.access_token}")
