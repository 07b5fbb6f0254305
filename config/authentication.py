"""API authentication: DRF tokens that expire (`API_TOKEN_TTL_HOURS`) and can be revoked.

Kept apart from the token views: DRF imports this while its own views are loading.
"""

import datetime

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from core import token_cache


def token_expires_at(token) -> datetime.datetime:
    return token.created + datetime.timedelta(hours=settings.API_TOKEN_TTL_HOURS)


def token_is_expired(token, *, now=None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token check, the token and its user read from the shared cache while nothing
    about either has changed (core/token_cache.py), and refused once it has expired."""

    def authenticate_credentials(self, key):
        lookup = token_cache.Lookup(key)
        found = lookup.found()
        if found is None:
            found = super().authenticate_credentials(key)  # unknown, inactive: refused
            lookup.store(*found)
        user, token = found
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token_is_expired(token):
            type(token).objects.filter(pk=token.pk).delete()
            raise exceptions.AuthenticationFailed(_("The token has expired; log in again."))
        return user, token


class LoginLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every login that comes with an HTTP request (the
    login pages, the admin, the API token). Code that authenticates without one (tests'
    `client.login`, shell) has no address to count and is left to the next backend."""

    def authenticate(self, request, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


def username_for_axes(request, credentials):
    """AXES_USERNAME_CALLABLE: the username axes counts failures for, as axes reads it,
    cut to the 255 characters its AccessAttempt column holds: a longer one posted to a
    login form ended in a database error (500). Real usernames are at most 150."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    return username[:255] if isinstance(username, str) else username


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: the login page answers 429 with Retry-After."""
    from django.shortcuts import render

    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    response = render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
