"""End to end through the API: submit -> every step approved by the responsible unit's
staff -> completed with the result; and return -> resubmit -> reject."""

import json

import pytest
from django.core.cache import cache

from tests import factories
from tests.workflow.fixtures import post_submission
from workflow.models import RequestEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def token_client(client_factory, user):
    from rest_framework.authtoken.models import Token

    client = client_factory()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def make_client():
    from rest_framework.test import APIClient

    return APIClient


def claim_and_decide(client, number, step_order, **decision):
    tasks = client.get("/api/v1/tasks/?scope=queue").json()["results"]
    task = next(t for t in tasks if t["registration_number"] == number)
    assert task["step"]["order"] == step_order
    assert client.post(f"/api/v1/tasks/{task['id']}/claim/").status_code == 200
    fmt = "multipart" if "result" in decision else "json"
    response = client.post(f"/api/v1/tasks/{task['id']}/complete/", decision, format=fmt)
    assert response.status_code == 200, response.json()
    return response.json()


def test_submit_walk_every_step_and_complete_with_result(
    make_client, umrah, staff, tu_staff, outsider
):
    applicant = make_client()
    created = post_submission(applicant, **{"Idempotency-Key": "journey-1"})
    assert created.status_code == 201
    number, token = created.json()["registration_number"], created.json()["access_token"]

    phu = token_client(make_client, staff)
    tu = token_client(make_client, tu_staff)
    other = token_client(make_client, outsider)
    assert other.get("/api/v1/tasks/?scope=queue").json()["count"] == 0

    assert claim_and_decide(phu, number, 1, decision="approve")["current_step"]["order"] == 2
    # the TU unit does not see step 2 yet: it is PHU's
    assert tu.get("/api/v1/tasks/?scope=queue").json()["count"] == 0
    assert claim_and_decide(phu, number, 2, decision="approve", note="ok")["status"] == (
        "in_progress"
    )
    done = claim_and_decide(
        tu, number, 3, decision="approve", result=factories.pdf_upload("sk.pdf")
    )
    assert done["status"] == "completed" and done["current_step"] is None

    own = applicant.get(f"/api/v1/requests/{number}/", headers={"X-Access-Token": token}).json()
    assert own["status_label"] == "Selesai"
    assert [s["state"] for s in own["steps"]] == ["done", "done", "done"]
    history = [(h["kind"], h["status"]) for h in own["history"]]
    assert history == [
        ("submitted", "submitted"),
        ("started", "in_progress"),
        ("advanced", "in_progress"),
        ("advanced", "in_progress"),
        ("completed", "completed"),
    ]
    # one history row per transition; claims are staff-side only
    assert RequestEvent.objects.filter(is_transition=True).count() == 5
    assert RequestEvent.objects.filter(is_transition=False, kind="claimed").count() == 3
    result = applicant.get(f"/api/v1/requests/{number}/result/", headers={"X-Access-Token": token})
    assert result.status_code == 200
    assert b"".join(result.streaming_content) == factories.PDF_BYTES
    assert result["Content-Disposition"].startswith("attachment")


def test_return_resubmit_then_reject(make_client, umrah, staff):
    applicant = make_client()
    created = post_submission(applicant).json()
    number, token = created["registration_number"], created["access_token"]
    headers = {"X-Access-Token": token}
    phu = token_client(make_client, staff)

    returned = claim_and_decide(
        phu,
        number,
        1,
        decision="return",
        note="KTP tidak terbaca, mohon unggah ulang",
        correction_codes=["ktp"],
    )
    assert returned["status"] == "needs_info"
    own = applicant.get(f"/api/v1/requests/{number}/", headers=headers).json()
    assert own["status_label"] == "Perlu perbaikan" and own["correction_codes"] == ["ktp"]
    assert own["history"][-1]["note"] == "KTP tidak terbaca, mohon unggah ulang"

    resubmitted = applicant.post(
        f"/api/v1/requests/{number}/resubmit/",
        {"payload": json.dumps({"data": {}}), "ktp": factories.pdf_upload("ktp-jelas.pdf")},
        format="multipart",
        headers=headers,
    )
    assert resubmitted.status_code == 200, resubmitted.json()
    docs = resubmitted.json()["documents"]
    assert [(d["name"], d["superseded"]) for d in docs] == [
        ("ktp-jelas.pdf", False),
        ("berkas.pdf", True),
    ]
    rejected = claim_and_decide(
        phu, number, 1, decision="reject", note="PPIU tidak terdaftar di Kemenag"
    )
    assert rejected["status"] == "rejected"
    own = applicant.get(f"/api/v1/requests/{number}/", headers=headers).json()
    assert [h["kind"] for h in own["history"]] == [
        "submitted",
        "started",
        "returned",
        "resubmitted",
        "rejected",
    ]
    assert own["status_label"] == "Ditolak"
