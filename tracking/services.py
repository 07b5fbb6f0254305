"""Writes of the tracking app (the request itself is written by `workflow.services`)."""

import datetime

from django.utils import timezone

from .models import FormSubmission

FORM_TOKEN_LIFETIME = datetime.timedelta(days=1)


def form_submissions_prune(*, now: datetime.datetime | None = None) -> int:
    """Forget one-time form tokens older than a day (a form left open longer gets a fresh
    token on its next error page anyway). Returns how many were deleted."""
    cutoff = (now or timezone.now()) - FORM_TOKEN_LIFETIME
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted
