"""The to-review list answers in a constant number of queries."""

import pytest

from skp.models import SkpStatus
from tests import factories
from tests.skp.conftest import client_for

pytestmark = pytest.mark.django_db


def _head_with_subordinates(n, *, acting=False):
    head_position = factories.PositionFactory(name="Kepala Bidang Pendidikan Islam")
    head = factories.EmployeeFactory()
    if acting:
        factories.ActingAssignmentFactory(employee=head, position=head_position)
    else:
        factories.PositionHoldingFactory(employee=head, position=head_position)
    for i in range(n):
        position = factories.PositionFactory(
            superior=head_position, unit=head_position.unit, name=f"Staf {i}"
        )
        employee = factories.EmployeeFactory()
        factories.PositionHoldingFactory(employee=employee, position=position)
        factories.SkpFactory(employee=employee, position=position, status=SkpStatus.SUBMITTED)
    # Noise that must not appear: a draft of a subordinate and someone else's submission.
    draft_position = factories.PositionFactory(superior=head_position, unit=head_position.unit)
    factories.SkpFactory(position=draft_position)
    factories.SkpFactory(status=SkpStatus.SUBMITTED)
    return head


@pytest.mark.parametrize("subordinates", [1, 30])
@pytest.mark.parametrize("acting", [False, True])
def test_to_review_list_in_constant_queries(subordinates, acting, django_assert_num_queries):
    head = _head_with_subordinates(subordinates, acting=acting)
    client = client_for(head.user)
    # employee, acting assignments, holdings, count, page
    with django_assert_num_queries(5):
        response = client.get("/api/v1/skp/?scope=to_review")
    body = response.json()
    assert body["count"] == subordinates
    expected = "Plt. Kepala Bidang Pendidikan Islam" if acting else None
    assert {item["acting_as"] for item in body["results"]} == {expected}
    assert {item["status"] for item in body["results"]} == {"submitted"}


def test_to_review_page_in_the_same_number_of_queries_for_1_and_30(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (1, 30):
        head = _head_with_subordinates(n, acting=True)
        client.force_login(head.user)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/staf/skp/tinjau/")
        assert page.status_code == 200
        assert page.text.count("Plt. Kepala Bidang Pendidikan Islam") == n
        counts.append(len(queries))
    assert counts[0] == counts[1]
