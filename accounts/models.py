"""Accounts handed out per organisation (ANMATEGRA): initial passwords must be changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InitialPassword(models.Model):
    """The user still has the one-time password HR handed out: the next page they open
    is the password change. Deleted when they choose their own."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="initial_password",
        verbose_name=_("user account"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("initial password (not changed yet)")
        verbose_name_plural = _("initial passwords (not changed yet)")

    def __str__(self):
        return str(self.user)
