"""Fixtures of the year's work: the org slice of tests/skp/conftest.py with the owner's
SKP approved by the head, one RHK and indicator; evidence stored in a temporary place."""

from types import SimpleNamespace

import pytest

from skp.models_lock import AllowanceAdmin
from tests import factories
from tests.skp.conftest import YEAR, add_content, client_for


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def approve(org, owner_user, *, reviewer_user=None):
    owner = client_for(owner_user)
    skp_id = owner.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    rhk_id, indicator_id = add_content(owner, skp_id)
    assert owner.post(f"/api/v1/skp/{skp_id}/submit/").status_code == 200
    reviewer = client_for(reviewer_user or org.head.user)
    response = reviewer.post(f"/api/v1/skp/{skp_id}/approve/")
    assert response.status_code == 200, response.json()
    return SimpleNamespace(id=skp_id, rhk=rhk_id, indicator=indicator_id)


@pytest.fixture
def approved(org):
    return approve(org, org.owner.user)


@pytest.fixture
def owner(org):
    return client_for(org.owner.user)


@pytest.fixture
def penilai(org):
    return client_for(org.head.user)


@pytest.fixture
def hr(org):
    """An allowance administrator of the owner's office."""
    user = factories.UserFactory(username="hr_tukin")
    AllowanceAdmin.objects.create(user=user, office=org.unit.office)
    return client_for(user)


def put_month(client, skp_id, month, items):
    return client.put(
        f"/api/v1/skp/{skp_id}/rencana-aksi/", {"month": month, "items": items}, format="json"
    )


def plan(client, approved, month=3, *, target="3", value="2", text="Rekap data EMIS"):
    item = {"rhk": approved.rhk, "text": text, "target": target, "unit": "dokumen"}
    if value is not None:
        item["realisasi"] = {"value": value, "note": "Notulen rapat"}
    response = put_month(client, approved.id, month, [item])
    assert response.status_code == 200, response.json()
    ras = response.json()["rhk"][0]["rencana_aksi"]
    return next(r for r in ras if r["text"] == text)["id"]


def evidence(client, skp_id, ra_id, *, url="https://drive.example.go.id/notulen"):
    response = client.post(
        f"/api/v1/skp/{skp_id}/rencana-aksi/{ra_id}/bukti-dukung/", {"url": url}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()["id"]


@pytest.fixture
def pays_quarterly(org):
    """The owner's office pays its allowance quarterly this year (Pemda TPP): its
    allowance administrators lock quarters."""
    from skp.models_evaluation import OfficePerformanceSetting

    return OfficePerformanceSetting.objects.create(
        office=org.unit.office, year=YEAR, payment_cadence="quarterly"
    )
