"""Accounts per organisation: HR creates the accounts of an office's or a unit's
employees at once and hands out one-time initial passwords."""

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model, update_session_auth_hash
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from config.exceptions import Forbidden
from organization.models import Employee, PositionHolding
from organization.selectors import hr_office_ids

from .models import InitialPassword

# No 0/O, 1/l/I: the password is read off paper.
ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12


@dataclass(frozen=True)
class Credential:
    name: str
    nip: str
    position: str
    username: str
    password: str


def _initial_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(PASSWORD_LENGTH))


def accounts_create_for(
    *, user, office=None, unit=None, on: datetime.date | None = None
) -> list[Credential]:
    """Create a login (username = NIP) for every employee holding a position in `unit`
    (or anywhere in `office`) on `on` who has none yet. Only HR of that office may.
    Returns the one-time credentials, which are never stored in clear."""
    on = on or timezone.localdate()
    office_id = unit.office_id if unit is not None else office.pk
    if not user.is_superuser and office_id not in hr_office_ids(user):
        raise Forbidden()
    holdings = (
        PositionHolding.objects.filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("employee", "position")
        .order_by("position__unit__name", "employee__name")
    )
    holdings = (
        holdings.filter(position__unit=unit)
        if unit
        else holdings.filter(position__unit__office_id=office_id)
    )
    User = get_user_model()
    created = []
    with transaction.atomic():
        ids = [h.employee_id for h in holdings]
        # Locked, so two HR clicks at once cannot give one employee two accounts.
        free = set(
            Employee.objects.select_for_update()
            .filter(pk__in=ids, user__isnull=True)
            .values_list("pk", flat=True)
        )
        for holding in holdings:
            employee = holding.employee
            if employee.pk not in free:
                continue
            free.discard(employee.pk)
            if User.objects.filter(username=employee.nip).exists():
                continue  # an older account already uses the NIP; HR links it by hand
            password = _initial_password()
            account = User(username=employee.nip, email=employee.email)
            account.set_password(password)
            account.save()
            Employee.objects.filter(pk=employee.pk).update(user=account)
            InitialPassword.objects.create(user=account, issued_by=user)
            created.append(
                Credential(
                    name=employee.name,
                    nip=employee.nip,
                    position=holding.position.name,
                    username=account.username,
                    password=password,
                )
            )
    return created


def password_change(*, request, user, new_password: str) -> None:
    """Set the user's own password; the initial-password mark goes with it."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        InitialPassword.objects.filter(user=user).delete()
    update_session_auth_hash(request, user)
    request.session["password_checked"] = user.pk
