"""Payment-period locks (DOMAIN.md 5): once an office's allowance for a month is paid,
nothing of that month may change; the figures are frozen in snapshots so every export
of the month reproduces the payment file."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organization.models import Employee, Office

from .models import Skp
from .rules import Predikat


class AllowanceAdmin(models.Model):
    """HR/finance staff of an office who lock its paid months (role `allowance_admin`).
    Those of the office above may unlock them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="allowance_offices",
        verbose_name=_("user account"),
    )
    office = models.ForeignKey(
        Office, models.CASCADE, related_name="allowance_admins", verbose_name=_("office")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="allowance_admin_unique")
        ]
        verbose_name = _("allowance administrator")
        verbose_name_plural = _("allowance administrators")

    def __str__(self):
        return f"{self.user} ({self.office.code})"


class PeriodLock(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        LOCKED = "locked", _("Locked")

    office = models.ForeignKey(
        Office, models.PROTECT, related_name="period_locks", verbose_name=_("office")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices)
    payment_ref = models.CharField(_("payment reference"), max_length=100, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )
    reason = models.TextField(_("reason of the last unlock"), blank=True)

    class Meta:
        ordering = ["office", "-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "month"], name="period_lock_unique"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="period_lock_month"
            ),
        ]
        verbose_name = _("payment-period lock")
        verbose_name_plural = _("payment-period locks")

    def __str__(self):
        return f"{self.office.code} {self.year}-{self.month:02d} {self.status}"


class PeriodLockEvent(models.Model):
    class Action(models.TextChoices):
        LOCKED = "locked", _("Locked")
        UNLOCKED = "unlocked", _("Unlocked")

    lock = models.ForeignKey(
        PeriodLock, models.CASCADE, related_name="events", verbose_name=_("payment-period lock")
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    payment_ref = models.CharField(_("payment reference"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lock event")
        verbose_name_plural = _("lock events")

    def __str__(self):
        return f"{self.lock} {self.action}"


class CapaianSnapshot(models.Model):
    """The figures of one employee's month as they stood when the month was locked."""

    lock = models.ForeignKey(
        PeriodLock, models.CASCADE, related_name="snapshots", verbose_name=_("payment-period lock")
    )
    skp = models.ForeignKey(Skp, models.CASCADE, related_name="+", verbose_name=_("SKP"))
    employee = models.ForeignKey(
        Employee, models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    employee_name = models.CharField(_("employee name"), max_length=200)
    employee_nip = models.CharField(_("employee NIP"), max_length=18)
    position_name = models.CharField(_("position name"), max_length=200)
    unit_name = models.CharField(_("unit name"), max_length=200)
    capaian_pegawai = models.DecimalField(
        _("capaian pegawai (%)"), max_digits=6, decimal_places=2, null=True
    )
    # For a head position: the mean of the direct structural subordinates (DOMAIN.md 4).
    is_head = models.BooleanField(_("head position"), default=False)
    predikat = models.PositiveSmallIntegerField(_("predikat"), choices=Predikat.choices, null=True)
    predikat_period = models.CharField(_("predikat period"), max_length=7, blank=True)

    class Meta:
        ordering = ["lock", "employee_name"]
        constraints = [
            models.UniqueConstraint(fields=["lock", "skp"], name="capaian_snapshot_unique")
        ]
        verbose_name = _("capaian snapshot")
        verbose_name_plural = _("capaian snapshots")

    def __str__(self):
        return f"{self.lock} {self.employee_name}"
