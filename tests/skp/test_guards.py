"""Who may act as pejabat penilai is one rule, skp.services_guards.lock_for_penilai, used
when the SKP is validated (approve/return/reopen) and when it is evaluated (feedback,
ratings); "the actor must be an employee" is skp.selectors.employee_required, for SKP and
attendance alike."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from config.exceptions import Forbidden
from skp import services, services_evaluation, services_realisation
from skp.models import Skp
from skp.selectors import employee_required
from skp.services_guards import lock_for_penilai
from tests import factories
from tests.skp.conftest import TODAY


def test_the_validation_and_the_evaluation_share_the_rule():
    assert services.lock_for_penilai is lock_for_penilai
    assert services_realisation.lock_for_penilai is lock_for_penilai
    assert services_evaluation.lock_for_penilai is lock_for_penilai


@pytest.mark.parametrize("evaluating", [False, True])
def test_only_whoever_acts_for_the_superior_position_passes(org, submitted_skp, evaluating):
    skp = Skp.objects.get(pk=submitted_skp)
    with transaction.atomic():
        locked, reviewer = lock_for_penilai(skp, org.head.user, on=TODAY, evaluating=evaluating)
    assert locked.pk == skp.pk and reviewer.employee == org.head
    for user in (org.owner.user, org.peer.user):
        with pytest.raises(Forbidden), transaction.atomic():
            lock_for_penilai(skp, user, on=TODAY, evaluating=evaluating)


def test_a_plt_in_force_replaces_the_holder(org, submitted_skp):
    factories.ActingAssignmentFactory(employee=org.peer, position=org.head_position)
    skp = Skp.objects.get(pk=submitted_skp)
    with transaction.atomic():
        _skp, reviewer = lock_for_penilai(skp, org.peer.user, on=TODAY)
    assert reviewer.employee == org.peer
    with pytest.raises(Forbidden), transaction.atomic():
        lock_for_penilai(skp, org.head.user, on=TODAY)


def test_an_account_that_is_not_an_employee_is_refused(org):
    clerk = get_user_model().objects.create_user("loket", password="x")
    with pytest.raises(Forbidden) as refused:
        employee_required(clerk)
    assert refused.value.message == "Akun Anda tidak terhubung dengan data pegawai."
    assert employee_required(org.owner.user) == org.owner
