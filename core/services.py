from django.db import transaction
from django.utils import timezone

from .models import LoginEvent

# The login before this one, as an ISO time ("" for a first login), for every page.
PREVIOUS_LOGIN_SESSION_KEY = "previous_login"


@transaction.atomic
def login_record(*, user, session=None) -> LoginEvent:
    """Record a login; store the one before it (ISO time, or "" for the first) in
    `session` so pages can show "Login terakhir" without a query."""
    previous = LoginEvent.objects.filter(user=user).values_list("at", flat=True).first()
    event = LoginEvent.objects.create(user=user, at=timezone.now())
    if session is not None:
        session[PREVIOUS_LOGIN_SESSION_KEY] = previous.isoformat() if previous else ""
    return event
