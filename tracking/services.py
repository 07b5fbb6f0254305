"""Writes of the tracking app (the request itself is written by `workflow.services`)."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from workflow import services as workflow_services

from .models import FormSubmission

FORM_TOKEN_LIFETIME = datetime.timedelta(days=1)


def form_submissions_prune(*, now: datetime.datetime | None = None) -> int:
    """Forget one-time form tokens older than a day (a form left open longer gets a fresh
    token on its next error page anyway). Returns how many were deleted."""
    cutoff = (now or timezone.now()) - FORM_TOKEN_LIFETIME
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _earlier_request(token):
    earlier = FormSubmission.objects.filter(token=token, request__isnull=False).first()
    return earlier.request if earlier is not None else None


def application_submit_once(*, form_token: str, **submission):
    """Submit an application form at most once per one-time `form_token`.

    The token's unique row is written in the submission's transaction, so a second click
    waits for the first and gets the same request back; a refused attempt (any
    `ApplicationError`) rolls the token back with it, so the corrected form can be sent
    again. `submission` goes to `workflow.services.service_request_submit` unchanged.
    Returns the request (the earlier one for a repeated token).
    """
    token = (form_token or "")[:64]
    if not token:
        return workflow_services.service_request_submit(**submission)
    earlier = _earlier_request(token)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            row = FormSubmission.objects.create(token=token)
            service_request = workflow_services.service_request_submit(**submission)
            row.request = service_request
            row.save(update_fields=["request"])
    except IntegrityError:
        # A second click with the same token: the first one has committed by now.
        earlier = _earlier_request(token)
        if earlier is None:
            raise
        return earlier
    return service_request
