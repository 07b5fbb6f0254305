"""An employee not in active service (SIASN kedudukan other than 01) acts for nobody:
no SKP approval, no PLT/PLH. The rule lives in `organization` (`acting_on`), which
`official_for_position` and `positions_acted_for` both use."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from organization.selectors import official_for_position, positions_acted_for
from organization.services import acting_assignment_create
from skp.models import Skp
from tests import factories
from tests.skp.conftest import TODAY, client_for

pytestmark = pytest.mark.django_db
CLTN = "02"


def _leave(employee, code=CLTN):
    employee.kedudukan = code
    employee.save(update_fields=["kedudukan"])


def test_inactive_plt_is_skipped_and_the_holder_acts_again():
    head = factories.PositionFactory(kind="pengawas")
    holding = factories.PositionHoldingFactory(position=head)
    plt = factories.ActingAssignmentFactory(position=head)
    assert official_for_position(position=head, on=TODAY).employee == plt.employee
    _leave(plt.employee)
    official = official_for_position(position=head, on=TODAY)
    assert official.employee == holding.employee
    assert official.acting_as is None


def test_inactive_definitive_holder_leaves_the_position_vacant():
    head = factories.PositionFactory(kind="pengawas")
    holding = factories.PositionHoldingFactory(position=head)
    _leave(holding.employee, "03")
    assert official_for_position(position=head, on=TODAY) is None
    assert positions_acted_for(employee=holding.employee, on=TODAY) == {}


def test_an_inactive_employee_cannot_be_appointed_plt():
    head = factories.PositionFactory(kind="pengawas")
    employee = factories.EmployeeFactory()
    _leave(employee, "20")
    with pytest.raises(ValidationError) as error:
        acting_assignment_create(
            employee=employee,
            position=head,
            start_date=TODAY,
            end_date=TODAY + datetime.timedelta(days=30),
            decree_number="B-9/2026",
        )
    assert "employee" in error.value.message_dict


def test_inactive_holder_cannot_approve_an_skp(org, submitted_skp):
    _leave(org.head)
    client = client_for(org.head.user)
    assert client.get("/api/v1/skp/?scope=to_review").json()["results"] == []
    response = client.post(f"/api/v1/skp/{submitted_skp}/approve/")
    assert response.status_code in (403, 404)
    assert Skp.objects.get(pk=submitted_skp).status == "submitted"


def test_inactive_plt_cannot_approve_but_the_holder_can(org, submitted_skp):
    plt = factories.EmployeeFactory()
    factories.ActingAssignmentFactory(employee=plt, position=org.head_position)
    _leave(plt)
    response = client_for(plt.user).post(f"/api/v1/skp/{submitted_skp}/approve/")
    assert response.status_code in (403, 404)
    assert Skp.objects.get(pk=submitted_skp).status == "submitted"
    response = client_for(org.head.user).post(f"/api/v1/skp/{submitted_skp}/approve/")
    assert response.status_code == 200
