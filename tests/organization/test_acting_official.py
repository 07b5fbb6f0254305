import pytest
from django.core.exceptions import ValidationError

from organization.selectors import official_for_position, positions_acted_for
from organization.services import acting_assignment_create
from tests import factories
from tests.clock import DAY, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def head():
    return factories.PositionFactory(name="Kepala Seksi Pendidikan Madrasah")


def test_definitive_holder_alone_acts(head):
    holding = factories.PositionHoldingFactory(position=head)
    official = official_for_position(position=head, on=TODAY)
    assert official.employee == holding.employee
    assert official.acting_as is None


def test_plt_in_force_replaces_the_holder(head):
    factories.PositionHoldingFactory(position=head)
    plt = factories.ActingAssignmentFactory(position=head)
    official = official_for_position(position=head, on=TODAY)
    assert official.employee == plt.employee
    assert official.acting_as == "Plt. Kepala Seksi Pendidikan Madrasah"


def test_both_sides_of_the_rule_agree_while_a_plt_is_in_force_and_after(head):
    """ "Who acts for this position" and "what does this person act for" are one rule."""
    holding = factories.PositionHoldingFactory(position=head)
    plt = factories.ActingAssignmentFactory(position=head, end_date=TODAY + 5 * DAY)
    assert positions_acted_for(employee=holding.employee, on=TODAY) == {}
    assert positions_acted_for(employee=plt.employee, on=TODAY) == {
        head.pk: "Plt. Kepala Seksi Pendidikan Madrasah"
    }
    later = TODAY + 6 * DAY
    assert official_for_position(position=head, on=later).employee == holding.employee
    assert positions_acted_for(employee=holding.employee, on=later) == {head.pk: None}
    assert positions_acted_for(employee=plt.employee, on=later) == {}


def test_expired_plt_gives_back_to_the_holder(head):
    holding = factories.PositionHoldingFactory(position=head)
    factories.ActingAssignmentFactory(
        position=head, start_date=TODAY - 30 * DAY, end_date=TODAY - DAY
    )
    assert official_for_position(position=head, on=TODAY).employee == holding.employee


def test_vacant_position_has_nobody(head):
    factories.PositionHoldingFactory(
        position=head, end_date=TODAY - DAY, start_date=TODAY - 400 * DAY
    )
    assert official_for_position(position=head, on=TODAY) is None


def test_two_overlapping_plts_for_one_position_are_refused(head):
    first = factories.EmployeeFactory()
    second = factories.EmployeeFactory()
    acting_assignment_create(
        employee=first,
        position=head,
        start_date=TODAY,
        end_date=TODAY + 30 * DAY,
        decree_number="B-1/2026",
    )
    with pytest.raises(ValidationError):
        acting_assignment_create(
            employee=second,
            position=head,
            start_date=TODAY + 10 * DAY,
            end_date=TODAY + 60 * DAY,
            decree_number="B-2/2026",
        )
    # Back to back is fine.
    acting_assignment_create(
        employee=second,
        position=head,
        start_date=TODAY + 31 * DAY,
        end_date=TODAY + 60 * DAY,
        decree_number="B-3/2026",
    )
