"""Open311 clients (other programs allowed to file requests) and what they filed."""

import hashlib
import secrets

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import ServiceRequest

rate_validator = RegexValidator(
    r"^\d+/(s|sec|m|min|h|hour|d|day)$", _("A rate such as 30/min, 500/hour or 5000/day.")
)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> str:
    return secrets.token_urlsafe(32)


class ApiClient(models.Model):
    """A program that may POST service requests with an `api_key` (only its hash is kept)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    key_prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    post_rate = models.CharField(
        _("request limit"),
        max_length=20,
        default="30/min",
        validators=[rate_validator],
        help_text=_("How many requests this client may file, e.g. 30/min."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self):
        return self.name

    def set_key(self) -> str:
        """A new key: returned once, only its digest is stored."""
        key = new_key()
        self.key_prefix = key[:8]
        self.key_digest = key_digest(key)
        return key


class Open311Request(models.Model):
    """A request filed through Open311: which client, and the token it was given."""

    client = models.ForeignKey(
        ApiClient, models.PROTECT, related_name="requests", verbose_name=_("Open311 client")
    )
    request = models.OneToOneField(
        ServiceRequest, models.CASCADE, related_name="open311", verbose_name=_("service request")
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self):
        return self.token
