"""HR creates the accounts of a unit's employees at once, hands out one-time
credentials, and the first login forces a password change."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from accounts.models import InitialPassword
from accounts.services import accounts_create_for
from config.exceptions import Forbidden
from organization.models import Employee
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    office = factories.OfficeFactory(code="KJB")
    tu = factories.UnitFactory(office=office, code="tu", name="Subbagian Tata Usaha")
    pendma = factories.UnitFactory(office=office, code="pendma", name="Seksi Pendma")
    head = factories.PositionFactory(unit=pendma, name="Kepala Seksi", kind="pengawas")
    staff = factories.PositionFactory(unit=pendma, name="Pengelola Data", superior=head)
    for n, position in enumerate([head, staff, staff]):
        factories.PositionHoldingFactory(
            employee=factories.EmployeeFactory(user=None, name=f"Pegawai Baru {n}"),
            position=position,
        )
    factories.PositionHoldingFactory(
        employee=factories.EmployeeFactory(user=None, name="Pegawai TU"),
        position=factories.PositionFactory(unit=tu),
    )
    hr = factories.UserFactory(username="kepegawaian")
    factories.StaffMembershipFactory(user=hr, unit=tu, role="hr")
    return office, pendma, hr


def test_hr_creates_the_unit_s_accounts_once(office):
    office, pendma, hr = office
    credentials = accounts_create_for(user=hr, unit=pendma)
    assert len(credentials) == 3
    assert {c.username for c in credentials} == set(
        Employee.objects.filter(holdings__position__unit=pendma).values_list("nip", flat=True)
    )
    assert len({c.password for c in credentials}) == 3
    assert all(len(c.password) == 12 for c in credentials)
    assert InitialPassword.objects.count() == 3
    assert Employee.objects.filter(user__isnull=True).count() == 1  # the TU employee
    # A second run creates nothing more; the office-wide run only the missing one.
    assert accounts_create_for(user=hr, unit=pendma) == []
    assert [c.name for c in accounts_create_for(user=hr, office=office)] == ["Pegawai TU"]


def test_only_hr_of_that_office_may(office):
    office, pendma, hr = office
    other_hr = factories.UserFactory()
    factories.StaffMembershipFactory(user=other_hr, role="hr")  # another office
    with pytest.raises(Forbidden):
        accounts_create_for(user=other_hr, unit=pendma)
    assert not get_user_model().objects.filter(username__startswith="1985").exists()
    response = Client()
    response.force_login(factories.UserFactory())
    assert response.get("/staf/akun/").status_code == 403


def test_the_printable_list_then_the_forced_password_change(office):
    office, pendma, hr = office
    browser = Client()
    browser.force_login(hr)
    page = browser.post("/staf/akun/", {"office": office.pk, "unit": pendma.pk})
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    pairs = re.findall(r"<code>(\d{18})</code></td><td><code class=\"password\">(\w+)</code>", html)
    assert len(pairs) == 3
    username, password = pairs[0]

    employee = Client()
    assert (
        employee.post("/staf/masuk/", {"username": username, "password": password}).status_code
        == 302
    )
    forced = employee.get("/staf/")
    assert forced.status_code == 302
    assert forced["Location"].startswith("/staf/akun/sandi/")
    assert employee.get("/api/v1/tasks/").status_code == 403
    # Nor is the API a way round: no token for the initial password, in the caller's language.
    refused = Client().post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Ganti dulu kata sandi awal Anda."}
    assert not Token.objects.filter(user__username=username).exists()
    changed = employee.post(
        "/staf/akun/sandi/",
        {
            "old_password": password,
            "new_password1": "Kemenag-Jambi-2026!",
            "new_password2": "Kemenag-Jambi-2026!",
            "next": "/staf/",
        },
    )
    assert changed.status_code == 302, changed.content.decode()
    assert not InitialPassword.objects.filter(user__username=username).exists()
    assert employee.get("/staf/").status_code == 200
    # The initial password no longer works; the new one gets an API token.
    assert not Client().login(username=username, password=password)
    token = Client().post(
        "/api/v1/auth/token/", {"username": username, "password": "Kemenag-Jambi-2026!"}
    )
    assert token.status_code == 200
    assert token.json()["token"] == Token.objects.get(user__username=username).key
