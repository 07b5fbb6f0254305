"""Each transition is announced once, after commit, with whom to tell."""

import pytest
from django.db import transaction

from skp import services
from skp.models import Skp
from skp.selectors import skp_event_audience
from skp.signals import skp_transitioned
from tests import factories
from tests.skp.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    calls = []

    def listener(sender, **kwargs):
        calls.append(kwargs)

    skp_transitioned.connect(listener)
    yield calls
    skp_transitioned.disconnect(listener)


def test_audience_is_the_approver_then_the_owner(org, submitted_skp, heard):
    plt = factories.EmployeeFactory()
    factories.ActingAssignmentFactory(employee=plt, position=org.head_position)
    skp = Skp.objects.get(pk=submitted_skp)
    submitted = skp.events.get(action="submitted")
    # Routed to whoever acts today: the PLT now in force.
    assert skp_event_audience(event_id=submitted.pk, on=TODAY) == [plt]

    services.skp_return(skp=skp, user=plt.user, note="Perbaiki")
    returned = skp.events.get(action="returned")
    assert skp_event_audience(event_id=returned.pk, on=TODAY) == [org.owner]
    created = skp.events.get(action="created")
    assert skp_event_audience(event_id=created.pk, on=TODAY) == []


def test_announced_only_after_commit_and_not_on_rollback(
    org, submitted_skp, heard, django_capture_on_commit_callbacks
):
    skp = Skp.objects.get(pk=submitted_skp)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.skp_approve(skp=skp, user=org.head.user)
        assert heard == []  # not before the commit
    assert len(callbacks) == 1
    event = skp.events.get(action="approved")
    assert heard == [
        {"signal": skp_transitioned, "skp_id": skp.pk, "event_id": event.pk, "action": "approved"}
    ]

    heard.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.skp_reopen(skp=skp, user=org.head.user, note="Revisi")
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert heard == []
    assert Skp.objects.get(pk=skp.pk).status == "approved"
