"""manage.py seed_demo (CONTRACT.md section 1)."""

import io
import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from organization.models import Employee, StaffMembership
from organization.selectors import official_for_position, positions_held
from services_catalog.models import ServiceType
from services_catalog.services import service_type_validate

pytestmark = pytest.mark.django_db

DEMO_APPS = ("auth", "organization", "services_catalog")


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def dump():
    """Every row of the apps the seed writes, as JSON, in a stable order."""
    rows = {}
    for label in DEMO_APPS:
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = serializers.serialize(
                "json", model.objects.order_by("pk"), indent=None
            )
    return rows


@pytest.fixture
def accounts(settings):
    settings.DEBUG = True
    return {a["username"]: a for a in json.loads(seed("--json"))}


@override_settings(DEBUG=True)
def test_seeding_twice_changes_nothing():
    seed()
    first = dump()
    seed()
    assert dump() == first
    assert ServiceType.objects.count() >= 8


@override_settings(DEBUG=False)
def test_refused_without_debug():
    with pytest.raises(CommandError, match="DEBUG"):
        seed()
    assert not ServiceType.objects.exists()
    assert not Employee.objects.exists()


def test_json_lists_the_accounts_and_their_roles(accounts, settings):
    for account in accounts.values():
        assert set(account) == {"username", "password", "roles", "unit", "services"}
        assert account["password"] == settings.DEMO_PASSWORD
    roles = {role for a in accounts.values() for role in a["roles"]}
    assert {
        "admin", "staff", "supervisor", "clerk",
        "skp_owner", "skp_approver", "skp_owner_acting", "skp_acting",
    } <= roles  # fmt: skip
    for name in ("skp_owner", "skp_approver", "skp_owner_acting", "skp_acting"):
        assert name in accounts[name]["roles"]
    assert accounts["admin"]["roles"] == ["admin"]


def test_every_account_logs_in_with_the_demo_password(accounts, client, settings):
    for username in accounts:
        assert client.login(username=username, password=settings.DEMO_PASSWORD), username
        client.logout()


def test_accounts_belong_to_their_units_and_services_follow_the_steps(accounts):
    codes = set(ServiceType.objects.values_list("code", flat=True))
    for username, account in accounts.items():
        assert set(account["services"]) <= codes
        if username == "admin":
            assert account["services"] == []  # manages the catalogue, works no queue
            continue
        memberships = StaffMembership.objects.filter(user__username=username)
        assert memberships.exists(), username
        unit_ids = set(
            memberships.filter(role__in=["staff", "supervisor"]).values_list("unit_id", flat=True)
        )
        # Steps routed to a person (internal services) are in no unit's queue.
        worked = set(
            ServiceType.objects.filter(
                steps__unit_id__in=unit_ids, steps__route="unit"
            ).values_list("code", flat=True)
        )
        assert set(account["services"]) == worked, username
    staff = [a for a in accounts.values() if a["roles"] == ["staff"]]
    assert len(staff) >= 8 and all(a["services"] for a in staff)


def test_seeded_services_are_valid_and_listed_by_the_api(accounts, api_client):
    # The public PTSP services; internal services (audience employees) are never listed.
    services = ServiceType.objects.public().with_catalogue()
    assert services.count() >= 8
    for service in services:
        service_type_validate(
            fields=list(service.fields.all()),
            documents=list(service.documents.all()),
            steps=list(service.steps.all()),
        )
        assert 2 <= len(service.steps.all()) <= 5
        assert service.requirements and service.legal_basis and service.complaint_channel
    fees = [s.fee for s in services]
    assert fees.count(0) > len(fees) / 2 and max(fees) > 0  # mostly free, one PNBP tariff
    types = {f.type for s in services for f in s.fields.all()}
    assert {"choice", "date", "phone", "number", "textarea", "email"} <= types
    body = api_client.get("/api/v1/services/").json()
    assert body["count"] == services.count()
    assert {s["code"] for s in body["results"]} == {s.code for s in services}
    internal = ServiceType.objects.filter(audience="employees").values_list("code", flat=True)
    assert {"cuti-tahunan", "izin-tidak-masuk", "usulan-kegiatan"} <= set(internal)


def _superior_official(username):
    employee = Employee.objects.get(user__username=username)
    (position,) = positions_held(employee=employee, on=timezone.localdate())
    return position.superior, official_for_position(
        position=position.superior, on=timezone.localdate()
    )


def test_skp_owner_is_approved_by_the_definitive_holder(accounts):
    superior, official = _superior_official("skp_owner")
    assert official.employee.user.username == "skp_approver"
    assert official.acting is None


def test_skp_owner_acting_is_approved_by_the_plt_in_force_today(accounts):
    superior, official = _superior_official("skp_owner_acting")
    assert not superior.holdings.exists()  # vacant: no definitive holder
    assert official.employee.user.username == "skp_acting"
    assert official.acting.kind == "plt"
    assert official.acting.decree_number
    assert official.acting_as == f"Plt. {superior.name}"


def test_demo_office_and_hr_administrators_reach_their_admin(accounts, client, settings):
    from django.urls import reverse

    assert accounts["admin_kjb"]["roles"] == ["office_admin", "admin"]
    assert accounts["hr_kjb"]["roles"] == ["hr_admin", "hr"]
    pairs = (("admin_kjb", "Administrator kantor"), ("hr_kjb", "Pengelola kepegawaian"))
    for username, group in pairs:
        client.login(username=username, password=settings.DEMO_PASSWORD)
        index = client.get(reverse("admin:index"))
        assert index.status_code == 200, username
        assert list(index.wsgi_request.user.groups.values_list("name", flat=True)) == [group]
        services = client.get(reverse("admin:services_catalog_servicetype_changelist"))
        if services.status_code == 200:  # the HR administrator has no catalogue
            offices = {s.unit.office.code for s in services.context["cl"].result_list}
            assert offices == {"KJB"}, username
    assert client.get(reverse("admin:organization_employee_import")).status_code == 200
    assert client.get("/staf/kepegawaian/konsistensi/").status_code == 200  # one HR group
    employees = client.get(reverse("admin:organization_employee_changelist")).context["cl"]
    assert employees.result_count > 0
    for employee in employees.result_list:
        offices = {h.position.unit.office.code for h in employee.holdings.all()}
        assert "KJB" in offices, employee
