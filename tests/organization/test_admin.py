"""Organisation admin: PLT/PLH and definitive holdings refuse overlaps with a clear error."""

import pytest
from django.urls import reverse

from organization.models import ActingAssignment, PositionHolding, PositionKind
from tests import factories
from tests.clock import DAY, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = factories.UserFactory(username="root")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def acting_data(employee, position, start, end, decree):
    return {
        "employee": employee.pk,
        "position": position.pk,
        "kind": "plt",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "decree_number": decree,
    }


def test_admin_appoints_a_plt_and_refuses_an_overlapping_one(admin_client):
    head = factories.PositionFactory(kind=PositionKind.PENGAWAS)
    first, second = factories.EmployeeFactory(), factories.EmployeeFactory()
    url = reverse("admin:organization_actingassignment_add")
    ok = admin_client.post(url, acting_data(first, head, TODAY, TODAY + 30 * DAY, "B-1/2026"))
    assert ok.status_code == 302
    refused = admin_client.post(
        url,
        acting_data(second, head, TODAY + 10 * DAY, TODAY + 40 * DAY, "B-2/2026"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 200
    assert "Another PLT/PLH is already assigned" in refused.content.decode()
    assert list(ActingAssignment.objects.values_list("decree_number", flat=True)) == ["B-1/2026"]


def test_admin_refuses_an_acting_period_ending_before_it_starts(admin_client):
    head = factories.PositionFactory()
    response = admin_client.post(
        reverse("admin:organization_actingassignment_add"),
        acting_data(factories.EmployeeFactory(), head, TODAY, TODAY - DAY, "B-3/2026"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert not ActingAssignment.objects.exists()


def holding_data(employee, position, start, end=None):
    data = {"employee": employee.pk, "position": position.pk, "start_date": start.isoformat()}
    if end:
        data["end_date"] = end.isoformat()
    return data


def test_a_structural_position_has_one_definitive_holder_at_a_time(admin_client):
    head = factories.PositionFactory(kind=PositionKind.PENGAWAS)
    factories.PositionHoldingFactory(position=head, start_date=TODAY - 100 * DAY)
    url = reverse("admin:organization_positionholding_add")
    response = admin_client.post(
        url, holding_data(factories.EmployeeFactory(), head, TODAY), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "already holds this structural position" in response.content.decode()
    assert PositionHolding.objects.filter(position=head).count() == 1


def test_many_employees_may_hold_a_pelaksana_position(admin_client):
    job = factories.PositionFactory(kind=PositionKind.PELAKSANA)
    factories.PositionHoldingFactory(position=job)
    url = reverse("admin:organization_positionholding_add")
    response = admin_client.post(url, holding_data(factories.EmployeeFactory(), job, TODAY))
    assert response.status_code == 302
    assert PositionHolding.objects.filter(position=job).count() == 2


def test_admin_refuses_an_employee_with_a_bad_nip(admin_client):
    response = admin_client.post(
        reverse("admin:organization_employee_add"),
        {
            "nip": "198503212010013002",
            "name": "Pegawai",
            "holdings-TOTAL_FORMS": 0,
            "holdings-INITIAL_FORMS": 0,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Digit 15 of a NIP is the gender" in response.content.decode()


def test_the_reporting_tree_may_not_loop(admin_client):
    top = factories.PositionFactory()
    below = factories.PositionFactory(superior=top)
    response = admin_client.post(
        reverse("admin:organization_position_change", args=[top.pk]),
        {"unit": top.unit_id, "name": top.name, "kind": top.kind, "superior": below.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "The reporting tree may not loop." in response.content.decode()
