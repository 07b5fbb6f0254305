"""Periodic and annual evaluation through the API: submit, return, rate by the pejabat
penilai of the day (PLT/PLH rule), the predikat by the matrix, history, evidence rule."""

import pytest

from skp.models_evaluation import Evaluation, EvaluationEvent, OfficePerformanceSetting
from tests import factories
from tests.skp.conftest import YEAR, client_for
from tests.skp.evaluation.conftest import evidence, plan

pytestmark = pytest.mark.django_db

Q1 = f"{YEAR}-Q1"


def feedback(client, skp_id, rhk, period=Q1, text="Sudah sesuai bukti dukung"):
    return client.post(
        f"/api/v1/skp/{skp_id}/feedback/", {"period": period, "rhk": rhk, "text": text}
    )


def submitted_q1(owner, approved):
    ra = plan(owner, approved, 2)
    evidence(owner, approved.id, ra)
    response = owner.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/submit/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_periods_default_to_quarters_plus_the_annual(approved, owner):
    body = owner.get(f"/api/v1/skp/{approved.id}/evaluations/").json()
    assert [(e["period"], e["status"], e["predikat"]) for e in body["results"]] == [
        (f"{YEAR}-Q{q}", "open", None) for q in range(1, 5)
    ] + [(f"{YEAR}", "open", None)]


def test_office_may_choose_monthly(org, approved, owner):
    OfficePerformanceSetting.objects.create(
        office=org.unit.office, year=YEAR, granularity="monthly"
    )
    body = owner.get(f"/api/v1/skp/{approved.id}/evaluations/").json()
    assert len(body["results"]) == 13 and body["results"][0]["period"] == f"{YEAR}-01"
    assert owner.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/submit/").status_code == 400


def test_submit_needs_evidence_for_every_realisation_above_zero(approved, owner):
    ra = plan(owner, approved, 2, value="2")
    plan(owner, approved, 3, value="0", text="Belum jalan")
    response = owner.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/submit/")
    assert response.status_code == 400
    assert "Rekap data EMIS" in response.json()["detail"]
    assert "Belum jalan" not in response.json()["detail"]
    evidence(owner, approved.id, ra)
    response = owner.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/submit/")
    assert response.status_code == 200 and response.json()["status"] == "submitted"


def test_submitted_months_cannot_change_until_returned(approved, owner, penilai):
    submitted_q1(owner, approved)
    item = {"rhk": approved.rhk, "text": "Baru", "target": "1", "unit": "x"}
    url = f"/api/v1/skp/{approved.id}/rencana-aksi/"
    assert owner.put(url, {"month": 1, "items": [item]}, format="json").status_code == 409
    assert owner.put(url, {"month": 4, "items": [item]}, format="json").status_code == 200
    returned = penilai.post(
        f"/api/v1/skp/{approved.id}/evaluations/{Q1}/return/", {"note": "Lengkapi notulen"}
    )
    assert returned.status_code == 200 and returned.json()["status"] == "open"
    assert owner.put(url, {"month": 1, "items": [item]}, format="json").status_code == 200


def test_rate_needs_feedback_then_gives_the_matrix_predikat(approved, owner, penilai):
    submitted_q1(owner, approved)
    rate = {"rating_hasil_kerja": 1, "rating_perilaku": 3}
    url = f"/api/v1/skp/{approved.id}/evaluations/{Q1}/rate/"
    assert penilai.post(url, rate).status_code == 400  # no feedback yet
    assert feedback(penilai, approved.id, approved.rhk).status_code == 201
    response = penilai.post(url, rate)
    assert response.status_code == 200, response.json()
    assert response.json()["predikat"] == {"code": 4, "label": "Kurang/Misconduct"}
    assert response.json()["status"] == "rated"
    listed = owner.get(f"/api/v1/skp/{approved.id}/evaluations/").json()["results"][0]
    assert listed["predikat"]["code"] == 4
    actions = list(EvaluationEvent.objects.values_list("action", "from_status", "to_status"))
    assert actions == [("submitted", "open", "submitted"), ("rated", "submitted", "rated")]
    assert penilai.post(url, rate).status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"rating_hasil_kerja": 0, "rating_perilaku": 1},
        {"rating_hasil_kerja": "x", "rating_perilaku": 1},
        {"rating_hasil_kerja": 1},
        {"rating_hasil_kerja": 1, "rating_perilaku": 4, "predikat": 1},
    ],
)
def test_bad_ratings_are_400(approved, owner, penilai, body):
    submitted_q1(owner, approved)
    feedback(penilai, approved.id, approved.rhk)
    url = f"/api/v1/skp/{approved.id}/evaluations/{Q1}/rate/"
    assert penilai.post(url, body, format="json").status_code == 400
    assert Evaluation.objects.get().status == "submitted"


def test_only_the_penilai_rates_and_nobody_their_own(org, approved, owner, penilai):
    submitted_q1(owner, approved)
    feedback(penilai, approved.id, approved.rhk)
    url = f"/api/v1/skp/{approved.id}/evaluations/{Q1}/rate/"
    body = {"rating_hasil_kerja": 2, "rating_perilaku": 2}
    assert owner.post(url, body).status_code == 403
    assert client_for(org.peer.user).post(url, body).status_code == 403
    assert feedback(owner, approved.id, approved.rhk).status_code == 403
    assert (
        owner.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/return/", {"note": "x"}).status_code
        == 403
    )
    assert penilai.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/submit/").status_code == 403


def test_plt_rates_while_in_force_and_the_holder_is_refused(org, approved, owner, penilai):
    submitted_q1(owner, approved)
    plt = factories.EmployeeFactory(name="Hendra Saputra", user__username="plt")
    factories.ActingAssignmentFactory(employee=plt, position=org.head_position)
    plt_client = client_for(plt.user)
    body = {"rating_hasil_kerja": 1, "rating_perilaku": 1}
    url = f"/api/v1/skp/{approved.id}/evaluations/{Q1}/rate/"
    assert feedback(penilai, approved.id, approved.rhk).status_code == 403
    fb = feedback(plt_client, approved.id, approved.rhk)
    assert fb.status_code == 201 and fb.json()["by"] == "Plt. Kepala Seksi Pendidikan Madrasah"
    assert penilai.post(url, body).status_code == 403
    response = plt_client.post(url, body)
    assert response.status_code == 200
    assert response.json()["predikat"] == {"code": 1, "label": "Sangat Baik"}
    assert response.json()["pejabat_penilai"]["position"].startswith("Plt. ")
    assert EvaluationEvent.objects.get(action="rated").acting_as.startswith("Plt. ")


def test_a_period_outside_the_skp_year_is_400(approved, owner):
    response = owner.post(f"/api/v1/skp/{approved.id}/evaluations/{YEAR + 1}-Q1/submit/")
    assert response.status_code == 400 and "period" in response.json()
    assert owner.post(f"/api/v1/skp/{approved.id}/evaluations/{YEAR}-Q9/submit/").status_code == 404


def test_annual_waits_for_the_last_periodic_rating(approved, owner, penilai):
    ra = plan(owner, approved, 11)
    evidence(owner, approved.id, ra)
    assert owner.post(f"/api/v1/skp/{approved.id}/evaluations/{YEAR}/submit/").status_code == 200
    feedback(penilai, approved.id, approved.rhk, period=str(YEAR))
    annual = f"/api/v1/skp/{approved.id}/evaluations/{YEAR}/rate/"
    body = {"rating_hasil_kerja": 2, "rating_perilaku": 1}
    assert penilai.post(annual, body).status_code == 409
    q4 = f"{YEAR}-Q4"
    assert owner.post(f"/api/v1/skp/{approved.id}/evaluations/{q4}/submit/").status_code == 200
    feedback(penilai, approved.id, approved.rhk, period=q4)
    assert (
        penilai.post(f"/api/v1/skp/{approved.id}/evaluations/{q4}/rate/", body).status_code == 200
    )
    response = penilai.post(annual, body)
    assert response.status_code == 200 and response.json()["predikat"]["code"] == 2


def test_feedback_on_a_core_value_is_append_only_and_listed(approved, owner, penilai):
    r = penilai.post(
        f"/api/v1/skp/{approved.id}/feedback/",
        {"period": Q1, "core_value": "akuntabel", "text": "Disiplin waktu baik"},
    )
    assert r.status_code == 201 and r.json()["core_value"] == "akuntabel"
    bad = penilai.post(
        f"/api/v1/skp/{approved.id}/feedback/",
        {"period": Q1, "core_value": "akuntabel", "rhk": approved.rhk, "text": "x"},
    )
    assert bad.status_code == 400
    assert (
        penilai.post(
            f"/api/v1/skp/{approved.id}/feedback/",
            {"period": "1999-Q1", "core_value": "loyal", "text": "x"},
        ).status_code
        == 400
    )
    listed = owner.get(f"/api/v1/skp/{approved.id}/feedback/").json()
    assert [f["text"] for f in listed] == ["Disiplin waktu baik"]
