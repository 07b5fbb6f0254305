"""`previous_login` for every page: the login before this one (M-SKP "last login"),
read from the session where the login receiver put it (no query)."""

from django.utils.dateparse import parse_datetime

from .services import PREVIOUS_LOGIN_SESSION_KEY


def previous_login(request):
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    if session is None or user is None or not user.is_authenticated:
        return {}
    value = session.get(PREVIOUS_LOGIN_SESSION_KEY)
    return {
        "previous_login": parse_datetime(value) if value else None,
        "login_recorded": value is not None,
    }
