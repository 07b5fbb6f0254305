"""Payment-period locks (DOMAIN.md 5): 409 on every kind of write into a locked month,
for owner, penilai and admins alike; unlock only by the level above or a superuser with
a reason; figures frozen in the snapshot; history kept."""

import pytest

from skp.models_lock import AllowanceAdmin, CapaianSnapshot, PeriodLock, PeriodLockEvent
from tests import factories
from tests.skp.conftest import YEAR, client_for
from tests.skp.evaluation.conftest import evidence, plan, put_month

pytestmark = pytest.mark.django_db

Q1 = f"{YEAR}-Q1"


def lock(client, office, **kw):
    return client.post(
        "/api/v1/period-locks/", {"office": office.code, "year": YEAR, **kw}, format="json"
    )


def test_only_allowance_admins_lock(org, approved, owner, penilai, hr, pays_quarterly):
    office = org.unit.office
    assert lock(owner, office, month=2).status_code == 403
    assert lock(penilai, office, month=2).status_code == 403
    response = lock(hr, office, quarter=1, payment_ref="Tukin TW I")
    assert response.status_code == 201, response.json()
    assert [x["month"] for x in response.json()["locks"]] == [1, 2, 3]
    assert lock(hr, office, month=2).status_code == 409
    assert lock(hr, office, month=2, quarter=1).status_code == 400
    assert PeriodLockEvent.objects.filter(action="locked").count() == 3


def test_every_write_into_a_locked_month_is_409(org, approved, owner, penilai, hr, pays_quarterly):
    ra = plan(owner, approved, 2)
    evidence(owner, approved.id, ra)
    assert owner.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/submit/").status_code == 200
    assert lock(hr, org.unit.office, quarter=1).status_code == 201
    item = {"rhk": approved.rhk, "text": "Baru", "target": "1", "unit": "x"}
    writes = [
        put_month(owner, approved.id, 2, [item]),
        owner.delete(f"/api/v1/skp/{approved.id}/rencana-aksi/{ra}/"),
        owner.post(
            f"/api/v1/skp/{approved.id}/rencana-aksi/{ra}/bukti-dukung/",
            {"url": "https://x.example/b"},
            format="json",
        ),
        penilai.post(
            f"/api/v1/skp/{approved.id}/feedback/",
            {"period": Q1, "rhk": approved.rhk, "text": "Bagus"},
        ),
        penilai.post(
            f"/api/v1/skp/{approved.id}/feedback/",
            {"period": f"{YEAR}-02", "core_value": "loyal", "text": "Bagus"},
        ),
        penilai.post(
            f"/api/v1/skp/{approved.id}/evaluations/{Q1}/rate/",
            {"rating_hasil_kerja": 2, "rating_perilaku": 2},
        ),
        penilai.post(f"/api/v1/skp/{approved.id}/evaluations/{Q1}/return/", {"note": "x"}),
    ]
    for response in writes:
        assert response.status_code == 409, response.content
        assert "terkunci" in response.json()["detail"]
    # the same for a superuser's write (no one may write into a locked month)
    admin = factories.UserFactory(username="root", is_superuser=True)
    assert lock(client_for(admin), org.unit.office, month=3).status_code == 409
    # an open month still takes writes; reads and exports work
    assert put_month(owner, approved.id, 4, [item]).status_code == 200
    assert owner.get(f"/api/v1/skp/{approved.id}/rencana-aksi/?bulan=2").json()["locked"] is True


def test_unlock_by_the_level_above_or_a_superuser_with_a_reason(org, approved, owner, hr):
    office = org.unit.office
    parent = factories.OfficeFactory(code="KW1", kind="kanwil")
    office.parent = parent
    office.save(update_fields=["parent"])
    lock_id = lock(hr, office, month=2).json()["locks"][0]["id"]
    url = f"/api/v1/period-locks/{lock_id}/unlock/"
    assert hr.post(url, {"reason": "salah"}).status_code == 403  # same level
    assert owner.post(url, {"reason": "salah"}).status_code == 403
    above = factories.UserFactory(username="hr_kanwil")
    AllowanceAdmin.objects.create(user=above, office=parent)
    above_client = client_for(above)
    assert above_client.post(url, {"reason": ""}).status_code == 400
    response = above_client.post(url, {"reason": "Koreksi realisasi Februari"})
    assert response.status_code == 200 and response.json()["status"] == "open"
    assert above_client.post(url, {"reason": "lagi"}).status_code == 409
    events = list(PeriodLockEvent.objects.values_list("action", "reason"))
    assert events == [("locked", ""), ("unlocked", "Koreksi realisasi Februari")]
    item = {"rhk": approved.rhk, "text": "Koreksi", "target": "1", "unit": "x"}
    assert put_month(owner, approved.id, 2, [item]).status_code == 200
    root = client_for(factories.UserFactory(username="root", is_superuser=True))
    assert lock(hr, office, month=2).status_code == 201
    lock_id = PeriodLock.objects.get(month=2).pk
    assert root.post(f"/api/v1/period-locks/{lock_id}/unlock/", {"reason": "x"}).status_code == 200


def test_figures_are_frozen_at_lock(org, approved, owner, hr):
    plan(owner, approved, 2, target="4", value="1")
    assert lock(hr, org.unit.office, month=2).status_code == 201
    snapshot = CapaianSnapshot.objects.get()
    assert str(snapshot.capaian_pegawai) == "25.00"
    # a change slipped past the API (e.g. by the database) does not change the locked figure
    from skp.models_realisation import Realisasi

    Realisasi.objects.update(value=4)
    body = owner.get(f"/api/v1/skp/{approved.id}/rencana-aksi/?bulan=2").json()
    assert body["capaian_pegawai"] == "25.00"
    export = hr.get(f"/api/v1/allowance-export/?office={org.unit.office.code}&year={YEAR}&month=2")
    assert export.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(export.content)).active
    values = [row for row in ws.iter_rows(values_only=True) if row[2] == org.owner.name]
    assert values and values[0][5] == 25.0 and values[0][8] in ("yes", "ya")


def test_exports_need_the_allowance_role(org, approved, owner):
    url = f"/api/v1/allowance-export/?office={org.unit.office.code}&year={YEAR}&month=2"
    assert owner.get(url).status_code == 403
    assert (
        owner.get(f"/api/v1/siasn/skp22/?office={org.unit.office.code}&year={YEAR}").status_code
        == 403
    )
