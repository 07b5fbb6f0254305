"""Property: any sequence of actions by anyone follows the rules of the reference model
below (who may do what in which status, with which error), and the history has one row
per successful transition."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.exceptions import ApplicationError
from skp import services
from skp.models import Skp, SkpEvent
from tests import factories
from tests.skp.conftest import DAY, TODAY, YEAR

pytestmark = pytest.mark.django_db

ACTORS = ["owner", "head", "peer", "expired_plt"]
ACTIONS = ["submit", "approve", "return", "return_without_note", "reopen", "edit"]
EDITABLE = {"draft", "returned"}


def expected_outcome(status: str, actor: str, action: str):
    """(outcome, next status): outcome is "ok" or the HTTP status of the refusal."""
    if action in ("submit", "edit"):
        if actor != "owner":
            return 403, status
        if status not in EDITABLE:
            return 409, status
        return "ok", "submitted" if action == "submit" else status
    if actor != "head":
        return 403, status
    source, target = {
        "approve": ("submitted", "approved"),
        "return": ("submitted", "returned"),
        "return_without_note": ("submitted", None),
        "reopen": ("approved", "returned"),
    }[action]
    if status != source:
        return 409, status
    if target is None:
        return 400, status
    return "ok", target


def _people():
    head_position = factories.PositionFactory(name="Kepala Seksi Pendidikan Madrasah")
    staff = factories.PositionFactory(superior=head_position, unit=head_position.unit)
    peer_position = factories.PositionFactory(superior=head_position, unit=head_position.unit)
    people = {name: factories.EmployeeFactory() for name in ACTORS}
    factories.PositionHoldingFactory(employee=people["owner"], position=staff)
    factories.PositionHoldingFactory(employee=people["head"], position=head_position)
    factories.PositionHoldingFactory(employee=people["peer"], position=peer_position)
    factories.ActingAssignmentFactory(
        employee=people["expired_plt"],
        position=head_position,
        start_date=TODAY - 40 * DAY,
        end_date=TODAY - DAY,
    )
    return {name: employee.user for name, employee in people.items()}


def _perform(skp: Skp, user, action: str):
    if action == "submit":
        services.skp_submit(skp=skp, user=user)
    elif action == "approve":
        services.skp_approve(skp=skp, user=user)
    elif action == "return":
        services.skp_return(skp=skp, user=user, note="Perbaiki")
    elif action == "return_without_note":
        services.skp_return(skp=skp, user=user, note=" ")
    elif action == "reopen":
        services.skp_reopen(skp=skp, user=user, note="Revisi")
    elif action == "edit":
        rhk = services.rhk_create(skp=skp, user=user, text=f"RHK {datetime.datetime.now()}")
        services.indicator_create(rhk=rhk, user=user, text="Indikator", target="1", unit="x")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(ACTORS), st.sampled_from(ACTIONS)), min_size=1, max_size=12
    )
)
def test_any_sequence_of_actions_follows_the_rules(db, steps):
    users = _people()
    skp = services.skp_create(user=users["owner"], year=YEAR)
    _perform(skp, users["owner"], "edit")
    status, transitions = "draft", 0
    for actor, action in steps:
        expected, next_status = expected_outcome(status, actor, action)
        try:
            _perform(skp, users[actor], action)
            outcome = "ok"
        except ApplicationError as exc:
            outcome = exc.status_code
        assert outcome == expected, (status, actor, action)
        if outcome == "ok" and action != "edit":
            transitions += 1
        status = next_status
        assert Skp.objects.get(pk=skp.pk).status == status
    events = SkpEvent.objects.filter(skp=skp).exclude(action="created")
    assert events.count() == transitions
    # Every recorded transition chains onto the previous one.
    previous = "draft"
    for event in events.order_by("at", "id"):
        assert event.from_status == previous
        previous = event.to_status
    assert previous == status
