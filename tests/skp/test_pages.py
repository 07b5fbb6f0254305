"""The SKP pages under /staf/skp/ (server-rendered; the browser journey is in
tests/browser/test_skp.py)."""

import calendar

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from skp.models import Indicator, Rhk, Skp
from tests import factories
from tests.pdfcheck import assert_fonts_embedded, pdf_text
from tests.skp.conftest import YEAR

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_pages_need_login(client, org):
    response = client.get("/staf/skp/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staf/masuk/")


def test_my_skp_page_creates_edits_and_submits(client, org):
    _login(client, org.owner.user)
    page = client.get("/staf/skp/")
    assert page.status_code == 200
    assert "Login terakhir" in page.text

    response = client.post("/staf/skp/", {"year": YEAR})
    skp = Skp.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staf/skp/{skp.pk}/"

    assert client.post("/staf/skp/", {"year": YEAR}).status_code == 409
    bad = client.post("/staf/skp/", {"year": "dua ribu"})
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.text
    assert "error-summary" in bad.text

    response = client.post(
        f"/staf/skp/{skp.pk}/rhk/",
        {"rhk-text": "Tersusunnya data EMIS", "rhk-kind": "main", "rhk-parent_rhk": ""},
    )
    assert response.status_code == 302
    rhk = Rhk.objects.get()
    missing = client.post(
        f"/staf/skp/{skp.pk}/rhk/{rhk.pk}/indikator/",
        {f"rhk{rhk.pk}-ind-text": "", f"rhk{rhk.pk}-ind-target": "4"},
    )
    assert missing.status_code == 400
    assert 'aria-invalid="true"' in missing.text
    assert not Indicator.objects.exists()
    response = client.post(
        f"/staf/skp/{skp.pk}/rhk/{rhk.pk}/indikator/",
        {
            f"rhk{rhk.pk}-ind-text": "Data EMIS diperbarui",
            f"rhk{rhk.pk}-ind-target": "4",
            f"rhk{rhk.pk}-ind-unit": "laporan",
            f"rhk{rhk.pk}-ind-aspect": "quantity",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    response = client.post(
        f"/staf/skp/{skp.pk}/indikator/{indicator.pk}/",
        {
            f"ind{indicator.pk}-text": "Data EMIS diperbarui",
            f"ind{indicator.pk}-target": "12",
            f"ind{indicator.pk}-unit": "laporan",
            f"ind{indicator.pk}-aspect": "quantity",
        },
    )
    assert response.status_code == 302
    assert Indicator.objects.get().target == "12"

    page = client.get(f"/staf/skp/{skp.pk}/")
    assert "Tersusunnya data EMIS" in page.text
    assert "Berorientasi Pelayanan" in page.text
    assert 'role="tablist"' in page.text
    assert client.post(f"/staf/skp/{skp.pk}/ajukan/").status_code == 302
    skp.refresh_from_db()
    assert skp.status == "submitted"
    # No more editing: the page answers 409 with the reason.
    again = client.post(f"/staf/skp/{skp.pk}/rhk/{rhk.pk}/hapus/")
    assert again.status_code == 409
    assert Rhk.objects.exists()


def test_reviewer_pages_plt_label_return_and_history(client, org, submitted_skp):
    plt = factories.EmployeeFactory(name="Rina Marlina")
    factories.ActingAssignmentFactory(employee=plt, position=org.head_position)
    _login(client, plt.user)
    listing = client.get("/staf/skp/tinjau/")
    assert "Plt. Kepala Seksi Pendidikan Madrasah" in listing.text
    assert f"/staf/skp/{submitted_skp}/" in listing.text

    no_note = client.post(f"/staf/skp/{submitted_skp}/kembalikan/", {"return-note": ""})
    assert no_note.status_code == 400
    assert 'aria-invalid="true"' in no_note.text
    assert Skp.objects.get().status == "submitted"

    done = client.post(
        f"/staf/skp/{submitted_skp}/kembalikan/", {"return-note": "Lengkapi target mutu"}
    )
    assert done.status_code == 302
    history = client.get(f"/staf/skp/{submitted_skp}/?tab=riwayat")
    assert "Lengkapi target mutu" in history.text
    assert "Plt. Kepala Seksi Pendidikan Madrasah" in history.text
    assert Skp.objects.get().status == "returned"
    # the owner lands on the SKP's content tab: the note is there, above the tabs
    _login(client, org.owner.user)
    landing = client.get(f"/staf/skp/{submitted_skp}/")
    callout = landing.text.split('class="card next-step return-note"', 1)[1].split("</section>")[0]
    assert "Dikembalikan untuk perbaikan" in callout and "Lengkapi target mutu" in callout


def test_strangers_get_404_and_forbidden_actions_403(client, org, submitted_skp):
    _login(client, org.peer.user)
    assert client.get(f"/staf/skp/{submitted_skp}/").status_code == 404
    assert client.get(f"/staf/skp/{submitted_skp}/cetak/").status_code == 404
    assert client.post(f"/staf/skp/{submitted_skp}/setujui/").status_code == 403
    assert Skp.objects.get().status == "submitted"


def test_expectation_set_by_the_reviewer(client, org, submitted_skp):
    _login(client, org.head.user)
    response = client.post(
        f"/staf/skp/{submitted_skp}/ekspektasi/kolaboratif/",
        {"exp-kolaboratif-text": "Aktif berbagi data dengan seksi lain"},
    )
    assert response.status_code == 302
    page = client.get(f"/staf/skp/{submitted_skp}/")
    assert "Aktif berbagi data dengan seksi lain" in page.text
    approved = client.post(f"/staf/skp/{submitted_skp}/setujui/", {"approve-note": ""})
    assert approved.status_code == 302
    assert Skp.objects.get().status == "approved"


def test_print_pdf_with_a_chosen_header_date(client, org, submitted_skp):
    _login(client, org.owner.user)
    response = client.get(f"/staf/skp/{submitted_skp}/cetak/?tanggal=2026-01-31")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert_fonts_embedded(response.content)  # organization.letterhead's fonts, no Helvetica
    text = pdf_text(response.content)
    assert "KEMENTERIAN AGAMA REPUBLIK INDONESIA" in text  # the office's letterhead
    assert "31 Januari 2026" in text
    assert "Siti Rahmawati" in text
    assert "Ahmad Fauzi" in text
    assert f"1 Januari {YEAR}" in text
    assert f"31 Desember {YEAR}" in text
    default = client.get(f"/staf/skp/{submitted_skp}/cetak/")
    assert default.status_code == 200
    default_text = pdf_text(default.content)
    with translation.override("id"):
        today = date_format(timezone.localdate(), "j F Y")  # the header date defaults to today
    assert today in default_text
    assert "31 Januari 2026" not in default_text or today == "31 Januari 2026"
    assert f"1 Januari {YEAR}" in default_text
    monthly = client.get(f"/staf/skp/{submitted_skp}/cetak/?tanggal=2026-03-02&bulan=2")
    assert monthly.status_code == 200
    text = pdf_text(monthly.content)
    assert f"1 Februari {YEAR}" in text
    assert f"{calendar.monthrange(YEAR, 2)[1]} Februari {YEAR}" in text
    assert "2 Maret 2026" in text
    assert client.get(f"/staf/skp/{submitted_skp}/cetak/?bulan=13").status_code == 400
    assert client.get(f"/staf/skp/{submitted_skp}/cetak/?tanggal=31-01-2026").status_code == 400
    assert client.get(f"/staf/skp/{submitted_skp}/cetak/?tanggal=2026-02-30").status_code == 400
