"""Reads of the accounts room."""

from django.utils.translation import gettext_lazy as _

from .models import InitialPassword

# What the API answers (403) while the initial password has not been replaced.
CHANGE_INITIAL_PASSWORD = _("Change your initial password first.")


def initial_password_pending(user) -> bool:
    """The user still has the one-time password HR handed out: until it is replaced,
    pages lead to the change page and the API refuses (tokens are not issued either)."""
    return InitialPassword.objects.filter(user=user).exists()
