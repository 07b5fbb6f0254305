"""The document keeps who was who at submission, whatever happens afterwards."""

import pytest

from organization.models import Employee
from tests import factories
from tests.skp.conftest import DAY, TODAY, client_for

pytestmark = pytest.mark.django_db


def test_snapshot_unchanged_after_the_employee_moves_position(org, submitted_skp):
    owner = client_for(org.owner.user)
    before = owner.get(f"/api/v1/skp/{submitted_skp}/").json()
    assert before["employee"] == {
        "name": "Siti Rahmawati",
        "nip": org.owner.nip,
        "position": "Pengelola Data Madrasah",
        "unit": "Seksi Pendidikan Madrasah",
    }
    assert before["pejabat_penilai"]["name"] == "Ahmad Fauzi"
    assert before["pejabat_penilai"]["position"] == "Kepala Seksi Pendidikan Madrasah"

    # The owner moves to another unit's position and changes name; the head is renamed.
    holding = org.owner.holdings.get()
    holding.end_date = TODAY - DAY
    holding.save()
    elsewhere = factories.PositionFactory(name="Penyusun Laporan Keuangan")
    factories.PositionHoldingFactory(employee=org.owner, position=elsewhere, start_date=TODAY)
    Employee.objects.filter(pk=org.owner.pk).update(name="Siti Rahmawati, S.Pd.")
    Employee.objects.filter(pk=org.head.pk).update(name="Ahmad Fauzi, M.Ag.")
    org.staff_position.name = "Pranata Komputer"
    org.staff_position.save()

    after = owner.get(f"/api/v1/skp/{submitted_skp}/").json()
    assert after["employee"] == before["employee"]
    assert after["pejabat_penilai"] == before["pejabat_penilai"]


def test_draft_shows_todays_data(org):
    owner = client_for(org.owner.user)
    skp_id = owner.post("/api/v1/skp/", {"year": TODAY.year}).json()["id"]
    Employee.objects.filter(pk=org.owner.pk).update(name="Siti R.")
    detail = owner.get(f"/api/v1/skp/{skp_id}/").json()
    assert detail["employee"]["name"] == "Siti R."
    assert detail["pejabat_penilai"]["name"] == "Ahmad Fauzi"
