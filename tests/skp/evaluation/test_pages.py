"""The staff pages of the year's work: a month's sheet, evidence upload, feedback, the
evaluations with rate/return, the PDF, the report and the locks, refusals as messages."""

import pytest
from django.test import Client

from skp.models_evaluation import Evaluation
from skp.models_realisation import BuktiDukung, RencanaAksi, UmpanBalik
from tests import factories
from tests.skp.conftest import YEAR

pytestmark = pytest.mark.django_db
Q1 = f"{YEAR}-Q1"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_owner_fills_a_month_attaches_a_file_and_submits(org, approved):
    page = browser(org.owner.user)
    sheet = page.get(f"/staf/skp/{approved.id}/realisasi/?bulan=2")
    assert sheet.status_code == 200 and "Add a rencana aksi" in sheet.text or "Tambah" in sheet.text
    response = page.post(
        f"/staf/skp/{approved.id}/realisasi/simpan/",
        {"month": 2, "rhk": approved.rhk, "text": "Rekap EMIS", "target": "4", "unit": "dokumen",
         "realisasi": "3", "note": "Rekap terkirim"},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    ra = RencanaAksi.objects.get()
    assert ra.realisasi.value == 3 and "75.00%" in response.text
    bad = page.post(
        f"/staf/skp/{approved.id}/rencana-aksi/{ra.pk}/bukti/",
        {"file": factories.pdf_upload(content=b"not a pdf")},
        follow=True,
    )
    assert not BuktiDukung.objects.exists() and "PDF, JPG" in bad.text
    page.post(
        f"/staf/skp/{approved.id}/rencana-aksi/{ra.pk}/bukti/",
        {"file": factories.pdf_upload(name="rekap.pdf")},
    )
    assert BuktiDukung.objects.get().original_name == "rekap.pdf"
    response = page.post(f"/staf/skp/{approved.id}/evaluasi/{Q1}/submit/", follow=True)
    assert Evaluation.objects.get().status == "submitted"
    assert response.status_code == 200


def test_penilai_gives_feedback_and_rates_the_owner_sees_the_predikat(org, approved):
    owner = browser(org.owner.user)
    owner.post(
        f"/staf/skp/{approved.id}/realisasi/simpan/",
        {"month": 1, "rhk": approved.rhk, "text": "A", "target": "1", "unit": "x"},
    )
    owner.post(f"/staf/skp/{approved.id}/evaluasi/{Q1}/submit/")
    head = browser(org.head.user)
    assert "Rekap" not in head.get("/staf/skp/evaluasi/nilai/").text
    assert org.owner.name in head.get("/staf/skp/evaluasi/nilai/").text
    head.post(
        f"/staf/skp/{approved.id}/umpan-balik/",
        {"month": 1, "rhk": approved.rhk, "period": Q1, "text": "Lanjutkan"},
    )
    assert UmpanBalik.objects.get().text == "Lanjutkan"
    refused = head.post(f"/staf/skp/{approved.id}/evaluasi/{Q1}/rate/", {}, follow=True)
    assert "Choose both ratings" in refused.text or "Pilih" in refused.text
    head.post(
        f"/staf/skp/{approved.id}/evaluasi/{Q1}/rate/",
        {"rating_hasil_kerja": 1, "rating_perilaku": 1},
    )
    page = owner.get(f"/staf/skp/{approved.id}/evaluasi/")
    assert "Sangat Baik" in page.text
    pdf = owner.get(f"/staf/skp/{approved.id}/evaluasi/{Q1}/cetak/?tanggal={YEAR}-04-05")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert owner.get(f"/staf/skp/{approved.id}/evaluasi/{Q1}/cetak/?tanggal=x").status_code == 400
    assert browser(org.peer.user).get(f"/staf/skp/{approved.id}/evaluasi/").status_code == 404


def test_a_write_into_a_locked_month_shows_a_clear_message(org, approved, hr, pays_quarterly):
    from skp.models_lock import AllowanceAdmin

    admin = AllowanceAdmin.objects.get().user
    locks = browser(admin)
    assert locks.get("/staf/skp/kunci/").status_code == 200
    locks.post(
        "/staf/skp/kunci/",
        {"office": org.unit.office.code, "year": YEAR, "quarter": 1, "payment_ref": "TW I"},
    )
    owner = browser(org.owner.user)
    response = owner.post(
        f"/staf/skp/{approved.id}/realisasi/simpan/",
        {"month": 2, "rhk": approved.rhk, "text": "A", "target": "1", "unit": "x"},
        follow=True,
    )
    assert "terkunci" in response.text and not RencanaAksi.objects.exists()
    assert browser(org.owner.user).get("/staf/skp/kunci/").status_code == 403


def test_report_page(org, approved):
    unit = org.unit
    page = browser(factories.UserFactory(username="root", is_superuser=True))
    response = page.get(f"/staf/skp/predikat/?unit={unit.office.code}.{unit.code}&period={Q1}")
    assert (
        response.status_code == 200
        and "Set the organisation grade first" in response.text
        or ("Tetapkan" in response.text)
    )
    assert page.get("/staf/skp/predikat/").status_code == 200
