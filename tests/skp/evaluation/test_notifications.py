"""Evaluation transitions and locks write WhatsApp outbox rows in their transaction: the
penilai on submit, the owner on return and rating, everyone affected on a lock."""

import pytest

from notifications.models import Message, MessageKind
from tests.skp.conftest import YEAR
from tests.skp.evaluation.conftest import evidence, plan

pytestmark = pytest.mark.django_db
Q1 = f"{YEAR}-Q1"


@pytest.fixture
def phones(org):
    for employee, phone in [(org.owner, "081234567801"), (org.head, "081234567802")]:
        employee.phone = phone
        employee.save(update_fields=["phone"])


def test_messages_for_submit_return_rate_and_lock(org, approved, owner, penilai, hr, phones):
    Message.objects.all().delete()
    ra = plan(owner, approved, 2)
    evidence(owner, approved.id, ra)
    owner.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/submit/")
    submitted = Message.objects.get(kind=MessageKind.SKP_EVAL_SUBMITTED)
    assert submitted.recipient == "+6281234567802" and Q1 in submitted.body
    penilai.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/return/", {"note": "Lengkapi"})
    returned = Message.objects.get(kind=MessageKind.SKP_EVAL_RETURNED)
    assert returned.recipient == "+6281234567801" and "Lengkapi" in returned.body
    owner.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/submit/")
    penilai.post(
        f"/api/v1/skp/{approved.id}/feedback/", {"period": Q1, "rhk": approved.rhk, "text": "ok"}
    )
    penilai.post(
        f"/api/v1/skp/{approved.id}/evaluations/{Q1}/rate/",
        {"rating_hasil_kerja": 2, "rating_perilaku": 1},
    )
    rated = Message.objects.get(kind=MessageKind.SKP_EVAL_RATED)
    assert rated.recipient == "+6281234567801" and "Baik" in rated.body
    hr.post(
        "/api/v1/period-locks/",
        {"office": org.unit.office.code, "year": YEAR, "month": 2, "payment_ref": "Tukin Feb"},
        format="json",
    )
    locked = Message.objects.filter(kind=MessageKind.SKP_PERIOD_LOCKED)
    assert [m.recipient for m in locked] == ["+6281234567801"]  # the head has no SKP here
    assert "Tukin Feb" in locked.get().body
    assert Message.objects.count() == 5


def test_a_refused_transition_writes_no_message(approved, owner, phones):
    Message.objects.all().delete()
    plan(owner, approved, 2)  # realisasi without evidence: submit is refused
    assert owner.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/submit/").status_code == 400
    assert not Message.objects.exists()


def test_a_quarter_lock_tells_each_employee_once(org, approved, hr, phones, pays_quarterly):
    Message.objects.all().delete()
    response = hr.post(
        "/api/v1/period-locks/",
        {"office": org.unit.office.code, "year": YEAR, "quarter": 2, "payment_ref": "TPP TW II"},
        format="json",
    )
    assert response.status_code == 201 and len(response.json()["locks"]) == 3
    locked = Message.objects.filter(kind=MessageKind.SKP_PERIOD_LOCKED)
    assert [m.recipient for m in locked] == ["+6281234567801"]  # one message, not three
    assert f"{YEAR}-Q2" in locked.get().body and "TPP TW II" in locked.get().body
