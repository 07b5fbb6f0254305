from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LoginEvent(models.Model):
    """One row per interactive login of any user, so pages can show the *previous* login
    (Django overwrites `User.last_login` during the login itself)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="login_events")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("login")
        verbose_name_plural = _("logins")

    def __str__(self):
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"
