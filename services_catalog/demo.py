"""Demo data for `make run` / `manage.py seed_demo`: the Kemenag offices of Jambi, their
units, reporting tree, employees, the PTSP service catalogue and the demo accounts.

The data are files in `catalogues/` (the format of docs/CATALOGUE_FORMAT.md), loaded by
the same loader as an administrator's import; only the accounts (users with the published
demo password) are demo-only and created here. The catalogue is written from what Kemenag
PTSP counters publish as their service standards (standar pelayanan); names of people
are invented. Loading twice changes nothing.
"""

import datetime
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from organization.admin_roles import admin_groups_ensure
from organization.models import StaffMembership, Unit

from .loader import catalogue_file_read, catalogue_import
from .signals import demo_loaded

DEMO_DIR = Path(__file__).resolve().parent / "catalogues"
ORGANISATION_FILE = DEMO_DIR / "demo-organisation.yaml"
CATALOGUE_FILE = DEMO_DIR / "demo-catalogue.yaml"
ACCOUNTS_FILE = DEMO_DIR / "demo-accounts.yaml"
# The memberships whose units' queues an account works (the workflow's worker roles; the
# demo-account test checks the listed services against the real queues).
WORKER_ROLES = (StaffMembership.Role.STAFF, StaffMembership.Role.SUPERVISOR)


@cache
def _read(path: Path) -> dict:
    with open(path, "rb") as handle:
        return catalogue_file_read(handle)


@cache
def _accounts() -> list[dict]:
    with open(ACCOUNTS_FILE, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["accounts"]


def demo_accounts() -> list[dict]:
    """The demo logins, as `seed_demo --json` prints them and `serve` shows them.

    Derived from the files (no database access): `services` are the codes of services
    with a step in a unit where the account works the queue (staff or supervisor; a
    clerk registers requests and works no step; an internal service's step routed to the
    applicant's superior or to the applicant is in no unit's queue). The superuser manages
    the catalogue and the organisation and works no queue: no unit membership, no services.
    """
    unit_names = {
        f"{office['code']}/{unit['code']}": f"{unit['name']} ({office['code']})"
        for office in _read(ORGANISATION_FILE)["offices"]
        for unit in office["units"]
    }
    services = _read(CATALOGUE_FILE)["services"]
    services_by_unit: dict[str, list[str]] = {}
    for service in services:
        for step in service["steps"]:
            if step.get("route", "unit") != "unit":
                continue  # an internal step goes to the applicant's superior or the applicant
            codes = services_by_unit.setdefault(step["unit"], [])
            if service["code"] not in codes:
                codes.append(service["code"])
    password = settings.DEMO_PASSWORD
    accounts = [
        {
            "username": "admin",
            "password": password,
            "roles": ["admin"],
            "unit": None,
            "services": [],
        }
    ]
    for account in _accounts():
        roles = [account["role"]] if account.get("role") else []
        codes = []
        for membership in account["memberships"]:
            if membership["role"] not in roles:
                roles.append(membership["role"])
            if membership["role"] not in WORKER_ROLES:
                continue
            for code in services_by_unit.get(membership["unit"], []):
                if code not in codes:
                    codes.append(code)
        accounts.append(
            {
                "username": account["username"],
                "password": password,
                "roles": roles,
                "unit": "; ".join(unit_names[m["unit"]] for m in account["memberships"]),
                "services": codes,
            }
        )
    return accounts


@transaction.atomic
def demo_load(*, today: datetime.date | None = None) -> dict:
    """Create or update the demo organisation, catalogue and accounts. Idempotent.

    The caller (seed_demo) refuses to run unless DEBUG is on. Returns row counts.
    """
    organisation = _read(ORGANISATION_FILE)
    users = _users_save(organisation)  # before the employees, who name their user
    counts = catalogue_import(document=organisation, today=today)
    services = catalogue_import(document=_read(CATALOGUE_FILE), today=today)["services"]
    units = {(u.office.code, u.code): u for u in Unit.objects.select_related("office")}
    for account in _accounts():
        for membership in account["memberships"]:
            office, _sep, code = membership["unit"].partition("/")
            StaffMembership.objects.get_or_create(
                user=users[account["username"]], unit=units[(office, code)], role=membership["role"]
            )
    demo_loaded.send(sender=demo_load, today=today or timezone.localdate())
    return {
        "offices": counts["offices"],
        "units": counts["units"],
        "positions": counts["positions"],
        "employees": counts["employees"],
        "services": services,
        "accounts": len(users),
    }


def _users_save(organisation: dict) -> dict:
    User = get_user_model()
    users = {}
    admin, _ = User.objects.update_or_create(
        username="admin",
        defaults={
            "first_name": "Admin",
            "last_name": "Alur",
            "email": "admin@alur.test",
            "is_staff": True,
            "is_superuser": True,
            "is_active": True,
        },
    )
    users["admin"] = admin
    names = {e["user"]: e["name"] for e in organisation["employees"] if e.get("user")}
    for account in _accounts():
        username = account["username"]
        users[username], _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": names.get(username, account["first_name"])[:150],
                "email": f"{username}@alur.test",
                "is_staff": bool(account.get("groups")),
                "is_superuser": False,
                "is_active": True,
            },
        )
    admin_groups_ensure()
    for account in _accounts():
        wanted = set(account.get("groups", []))
        user = users[account["username"]]
        if set(user.groups.values_list("name", flat=True)) != wanted:
            user.groups.set(Group.objects.filter(name__in=wanted))
    # One hash for every demo account (their password is published anyway): checked once
    # and written only where it differs, so a second run changes no row and costs one hash.
    encoded = admin.password if admin.check_password(settings.DEMO_PASSWORD) else None
    encoded = encoded or make_password(settings.DEMO_PASSWORD)
    for user in users.values():
        if user.password != encoded:
            user.password = encoded
            user.save(update_fields=["password"])
    return users
