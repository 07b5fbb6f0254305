"""An office slice for SKP: a head of section (Kepala Seksi Pendidikan Madrasah) and
the staff position reporting to it, each held definitively."""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.clock import DAY, TODAY, YEAR, fixed_today  # noqa: F401 (autouse: every test here)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def org(db):
    unit = factories.UnitFactory(name="Seksi Pendidikan Madrasah")
    head_position = factories.PositionFactory(
        unit=unit, name="Kepala Seksi Pendidikan Madrasah", kind="pengawas"
    )
    staff_position = factories.PositionFactory(
        unit=unit, name="Pengelola Data Madrasah", superior=head_position
    )
    peer_position = factories.PositionFactory(
        unit=unit, name="Analis Kurikulum", superior=head_position
    )
    owner = factories.EmployeeFactory(name="Siti Rahmawati", user__username="siti")
    head = factories.EmployeeFactory(name="Ahmad Fauzi", user__username="fauzi")
    peer = factories.EmployeeFactory(name="Budi Santoso", user__username="budi")
    for employee, position in [
        (owner, staff_position),
        (head, head_position),
        (peer, peer_position),
    ]:
        factories.PositionHoldingFactory(employee=employee, position=position)
    return SimpleNamespace(
        unit=unit,
        head_position=head_position,
        staff_position=staff_position,
        peer_position=peer_position,
        owner=owner,
        head=head,
        peer=peer,
    )


def add_content(client, skp_id, *, rhk_text="Tersusunnya data EMIS madrasah"):
    rhk = client.post(f"/api/v1/skp/{skp_id}/rhk/", {"text": rhk_text, "kind": "main"})
    assert rhk.status_code == 201, rhk.json()
    indicator = client.post(
        f"/api/v1/skp/{skp_id}/rhk/{rhk.json()['id']}/indicators/",
        {"text": "Data EMIS diperbarui", "target": "4", "unit": "laporan", "aspect": "quantity"},
    )
    assert indicator.status_code == 201, indicator.json()
    return rhk.json()["id"], indicator.json()["id"]


@pytest.fixture
def submitted_skp(org):
    """The owner's SKP for this year, with one RHK and indicator, submitted."""
    owner = client_for(org.owner.user)
    skp_id = owner.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    add_content(owner, skp_id)
    response = owner.post(f"/api/v1/skp/{skp_id}/submit/")
    assert response.status_code == 200, response.json()
    return skp_id
