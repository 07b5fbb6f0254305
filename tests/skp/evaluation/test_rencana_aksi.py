"""GET/PUT /api/v1/skp/{id}/rencana-aksi/ and evidence (DOMAIN.md 8, CONTRACT.md 7)."""

import pytest

from skp.models_realisation import BuktiDukung, Realisasi, RencanaAksi
from tests import factories
from tests.skp.conftest import YEAR, add_content, client_for
from tests.skp.evaluation.conftest import evidence, plan, put_month

pytestmark = pytest.mark.django_db


def test_owner_plans_and_realises_a_month_in_the_domain_shape(approved, owner):
    ra_id = plan(owner, approved, 3, target="3", value="2")
    plan(owner, approved, 3, target="4", value="4", text="Validasi data")
    evidence(owner, approved.id, ra_id)
    body = owner.get(f"/api/v1/skp/{approved.id}/rencana-aksi/?bulan=3").json()
    assert body["month"] == 3 and body["locked"] is False
    assert body["skp"]["status"] == "approved" and body["skp"]["year"] == YEAR
    rhk = body["rhk"][0]
    assert rhk["id"] == approved.rhk and rhk["indicators"][0]["target"] == "4"
    first = next(r for r in rhk["rencana_aksi"] if r["id"] == ra_id)
    assert first["target"] == "3" and first["unit"] == "dokumen"
    assert first["realisasi"] == {
        "value": "2",
        "note": "Notulen rapat",
        "indicator": None,
        "capaian": "66.67",
        "capaian_raw": "66.67",
        "source": "manual",
        "daily_entries": 0,
        "daily_evidence": 0,
    }
    assert body["realisation_source"] == "manual"
    assert first["bukti_dukung"][0]["kind"] == "link"
    # mean of 66.666.. and 100, rounded once
    assert body["capaian_pegawai"] == "83.33"
    assert (
        owner.get(f"/api/v1/skp/{approved.id}/rencana-aksi/?bulan=4").json()["capaian_pegawai"]
        is None
    )


def test_raw_ratio_is_kept_above_100(approved, owner):
    plan(owner, approved, 2, target="2", value="3")
    real = Realisasi.objects.get()
    assert str(real.capaian_raw) == "150.0000"
    ra = owner.get(f"/api/v1/skp/{approved.id}/rencana-aksi/?bulan=2").json()["rhk"][0][
        "rencana_aksi"
    ][0]
    assert ra["realisasi"]["capaian"] == "100.00" and ra["realisasi"]["capaian_raw"] == "150.00"


def test_put_updates_by_id_and_keeps_unnamed_items(approved, owner):
    a = plan(owner, approved, 5, text="A")
    plan(owner, approved, 5, text="B")
    response = put_month(
        owner,
        approved.id,
        5,
        [{"id": a, "rhk": approved.rhk, "text": "A2", "target": "6", "unit": "laporan"}],
    )
    assert response.status_code == 200
    assert sorted(RencanaAksi.objects.values_list("text", flat=True)) == ["A2", "B"]
    # the realisasi stays and follows the new target
    assert str(Realisasi.objects.get(rencana_aksi_id=a).capaian_raw) == "33.3333"


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"target": "-1"}, "items[0].target"),
        ({"target": "abc"}, "items[0].target"),
        ({"target": "1e400"}, "items[0].target"),
        ({"target": "1.234"}, "items[0].target"),
        ({"text": ""}, "items[0].text"),
        ({"text": "x" * 501}, "items[0].text"),
        ({"unit": None}, "items[0].unit"),
        ({"rhk": 999999}, "items[0].rhk"),
        ({"rhk": "1"}, "items[0].rhk"),
        ({"id": 999999}, "items[0].id"),
        ({"realisasi": {"value": "-2"}}, "items[0].realisasi.value"),
        ({"realisasi": "2"}, "items[0].realisasi"),
    ],
)
def test_bad_items_are_400_naming_the_field_and_change_nothing(approved, owner, item, field):
    good = {"rhk": approved.rhk, "text": "Rekap", "target": "3", "unit": "dokumen"}
    response = put_month(owner, approved.id, 3, [good, {**good, "text": "Lain", **item}][1:])
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert not RencanaAksi.objects.exists()


@pytest.mark.parametrize(
    "body", [{"month": 13, "items": []}, {"month": "3", "items": []}, {"month": 3}, [], "x"]
)
def test_malformed_bodies_are_400(approved, owner, body):
    response = owner.put(f"/api/v1/skp/{approved.id}/rencana-aksi/", body, format="json")
    assert response.status_code == 400


def test_duplicate_text_in_one_rhk_month_is_400(approved, owner):
    plan(owner, approved, 3, text="Rekap")
    item = {"rhk": approved.rhk, "text": "rekap", "target": "1", "unit": "dokumen"}
    response = put_month(owner, approved.id, 3, [item])
    assert response.status_code == 400 and "items[0].text" in response.json()


def test_only_the_owner_writes_and_only_on_an_approved_skp(org, approved, penilai):
    item = {"rhk": approved.rhk, "text": "Rekap", "target": "3", "unit": "dokumen"}
    assert put_month(penilai, approved.id, 3, [item]).status_code == 403
    assert put_month(client_for(org.peer.user), approved.id, 3, [item]).status_code == 403
    peer = client_for(org.peer.user)
    draft = peer.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    rhk, _ind = add_content(peer, draft)
    response = put_month(peer, draft, 3, [{**item, "rhk": rhk}])
    assert response.status_code == 409


def test_reading_is_for_owner_penilai_and_hr_only(org, approved, penilai, hr):
    assert penilai.get(f"/api/v1/skp/{approved.id}/rencana-aksi/?bulan=3").status_code == 200
    assert hr.get(f"/api/v1/skp/{approved.id}/rencana-aksi/?bulan=3").status_code == 200
    peer = client_for(org.peer.user)
    assert peer.get(f"/api/v1/skp/{approved.id}/rencana-aksi/?bulan=3").status_code == 404


def test_evidence_file_is_sniffed_size_limited_and_private(org, approved, owner, settings):
    ra = plan(owner, approved, 3)
    url = f"/api/v1/skp/{approved.id}/rencana-aksi/{ra}/bukti-dukung/"
    fake = factories.pdf_upload(name="notulen.pdf", content=b"MZ not a pdf at all")
    response = owner.post(url, {"file": fake}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    settings.SKP_EVIDENCE_MAX_BYTES = 100
    big = factories.pdf_upload(content=factories.PDF_BYTES + b"0" * 200)
    assert owner.post(url, {"file": big}, format="multipart").status_code == 413
    settings.SKP_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
    response = owner.post(
        url, {"file": factories.pdf_upload(name="notulen.pdf")}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "file" and response.json()["name"] == "notulen.pdf"
    stored = BuktiDukung.objects.get()
    assert stored.content_type == "application/pdf" and "notulen" not in stored.file.name
    download = owner.get(response.json()["api_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == factories.PDF_BYTES
    assert "no-store" in download["Cache-Control"]
    assert client_for(org.peer.user).get(response.json()["api_url"]).status_code == 404
    page = client_for(org.peer.user)
    page.force_login(org.peer.user)
    assert page.get(response.json()["url"]).status_code == 404
    page.force_login(org.owner.user)
    assert page.get(response.json()["url"]).status_code == 200


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://x.example/a", "not a url", ""])
def test_evidence_link_must_be_http(approved, owner, bad):
    ra = plan(owner, approved, 3)
    response = owner.post(
        f"/api/v1/skp/{approved.id}/rencana-aksi/{ra}/bukti-dukung/", {"url": bad}, format="json"
    )
    assert response.status_code == 400
    assert not BuktiDukung.objects.exists()


def test_evidence_only_by_the_owner(approved, owner, penilai):
    ra = plan(owner, approved, 3)
    response = penilai.post(
        f"/api/v1/skp/{approved.id}/rencana-aksi/{ra}/bukti-dukung/",
        {"url": "https://x.example/a"},
        format="json",
    )
    assert response.status_code == 403


def test_selector_for_the_daily_log(org, approved, owner):
    from skp.selectors_realisation import rencana_aksi_for_month

    plan(owner, approved, 3, text="Rekap")
    plan(owner, approved, 4, text="Lain bulan")
    found = rencana_aksi_for_month(employee=org.owner, year=YEAR, month=3)
    assert [r.text for r in found] == ["Rekap"]
    assert not rencana_aksi_for_month(employee=org.peer, year=YEAR, month=3).exists()
