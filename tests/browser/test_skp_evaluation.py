"""Browser journey (headless Chromium, 360 px): the owner enters a month's rencana aksi
and realisation with an uploaded evidence file and submits the quarter; the PLT penilai
gives feedback and rates; the owner sees the predikat and downloads the PDF; HR locks
the quarter and the owner's next edit is refused with a clear message."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from skp.models import Rhk, Skp
from skp.models_evaluation import Evaluation
from skp.models_lock import AllowanceAdmin, PeriodLock
from skp.models_realisation import BuktiDukung, RencanaAksi
from tests import factories
from tests.browser.conftest import open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    today = timezone.localdate()
    unit = factories.UnitFactory(name="Seksi Pendidikan Madrasah")
    head = factories.PositionFactory(
        unit=unit, name="Kepala Seksi Pendidikan Madrasah", kind="pengawas"
    )
    staff = factories.PositionFactory(unit=unit, name="Pengelola Data Madrasah", superior=head)
    owner = factories.EmployeeFactory(name="Siti Rahmawati", user__username="siti")
    factories.PositionHoldingFactory(employee=owner, position=staff)
    holder = factories.EmployeeFactory(name="Ahmad Fauzi", user__username="fauzi")
    factories.PositionHoldingFactory(employee=holder, position=head)
    plt = factories.EmployeeFactory(name="Rina Marlina", user__username="rina")
    factories.ActingAssignmentFactory(employee=plt, position=head)
    hr = factories.UserFactory(username="hr")
    AllowanceAdmin.objects.create(user=hr, office=unit.office)
    skp = Skp.objects.create(
        employee=owner, position=staff, year=today.year, status="approved",
        approved_at=timezone.now(),
    )  # fmt: skip
    rhk = Rhk.objects.create(skp=skp, text="Tersusunnya data EMIS madrasah")
    return skp, rhk, today


def _login(page, username):
    page.goto("/staf/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("rahasia-123")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def _logout(page):
    open_menu(page)
    page.locator("form.logout button").click()
    page.wait_for_load_state()


def test_realise_rate_download_and_lock(browser, live_server, page, people, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    skp, rhk, today = people
    month = today.month
    quarter = f"{today.year}-Q{(month - 1) // 3 + 1}"

    # The owner plans the month and realises it, with an uploaded evidence file.
    _login(page, "siti")
    page.goto(f"/staf/skp/{skp.pk}/")
    page.locator("#link-realisation").click()
    page.locator(f"#ra-text-{rhk.pk}").fill("Rekap data EMIS semester ganjil")
    page.locator(f"#ra-target-{rhk.pk}").fill("4")
    page.locator(f"#ra-unit-{rhk.pk}").fill("dokumen")
    page.locator(f"#ra-real-{rhk.pk}").fill("3")
    page.locator(f"#ra-note-{rhk.pk}").fill("Rekap dikirim ke Kanwil")
    page.locator(f"#ra-text-{rhk.pk}").locator("xpath=ancestor::form").locator(
        "button[type=submit]"
    ).click()
    expect(page.locator("#capaian-pegawai")).to_have_text("75.00%")
    ra = RencanaAksi.objects.get()
    evidence = tmp_path / "notulen.pdf"
    evidence.write_bytes(factories.PDF_BYTES)
    page.locator(f"#ra-{ra.pk} details summary").click()
    page.locator(f"#file-{ra.pk}").set_input_files(str(evidence))
    page.locator(f"#file-{ra.pk}").locator("xpath=ancestor::form").locator("button").click()
    expect(page.locator(f"#ra-{ra.pk}")).to_contain_text("notulen.pdf")
    assert BuktiDukung.objects.get().content_type == "application/pdf"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.goto(f"/staf/skp/{skp.pk}/evaluasi/")
    section = page.locator(f"[id='period-{quarter}']")
    section.locator("form[action$='/submit/'] button").click()
    expect(page.locator(f"[id='period-{quarter}'] [data-status]")).to_have_attribute(
        "data-status", "submitted"
    )
    _logout(page)

    # The PLT of the head position gives feedback on the RHK, then rates.
    _login(page, "rina")
    page.goto("/staf/skp/evaluasi/nilai/")
    page.get_by_role("link", name="Siti Rahmawati").click()
    expect(page.locator(".badge.acting").first).to_contain_text("Plt.")
    page.goto(f"/staf/skp/{skp.pk}/realisasi/?bulan={month}")
    page.locator(f"#fb-period-{rhk.pk}").select_option(quarter)
    page.locator(f"#fb-{rhk.pk}").fill("Rekap lengkap dan tepat waktu")
    page.locator(f"#fb-{rhk.pk}").locator("xpath=ancestor::form").locator("button").click()
    expect(page.locator(f"#rhk-{rhk.pk}").locator("xpath=..")).to_contain_text(
        "Plt. Kepala Seksi Pendidikan Madrasah"
    )
    page.goto(f"/staf/skp/{skp.pk}/evaluasi/")
    page.locator(f"[id='hk-{quarter}']").select_option("1")
    page.locator(f"[id='pk-{quarter}']").select_option("1")
    page.locator(f"[id='period-{quarter}'] form[action$='/rate/'] button").click()
    expect(page.locator(f"[id='period-{quarter}'] .predikat")).to_have_text("Sangat Baik")
    _logout(page)

    # The owner sees the predikat and downloads the evaluation document.
    _login(page, "siti")
    page.goto(f"/staf/skp/{skp.pk}/evaluasi/")
    expect(page.locator(f"[id='period-{quarter}'] .predikat")).to_have_text("Sangat Baik")
    pdf = page.request.get(f"/staf/skp/{skp.pk}/evaluasi/{quarter}/cetak/?tanggal={today}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert Evaluation.objects.get(period=quarter).predikat == 1
    # ...and keeps the month's sheet open while HR locks the quarter.
    page.goto(f"/staf/skp/{skp.pk}/realisasi/?bulan={month}")

    hr_context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server.url, locale="id-ID"
    )
    hr_page = hr_context.new_page()
    _login(hr_page, "hr")
    # The office pays quarterly (TPP): its allowance administrator says so first.
    hr_page.goto("/staf/skp/pengaturan/")
    hr_page.locator("input[name=payment_cadence][value=quarterly]").check()
    hr_page.locator("#settings-save").click()
    expect(hr_page.locator(".messages")).to_contain_text("disimpan")
    hr_page.goto("/staf/skp/kunci/")
    expect(hr_page.locator("#cadence")).to_contain_text("triwulan")
    hr_page.locator("#quarter").select_option(str((month - 1) // 3 + 1))
    hr_page.locator("#payment_ref").fill("Tukin TW IV")
    hr_page.locator("#lock-submit").click()
    expect(hr_page.locator("tbody")).to_contain_text("Tukin TW IV")
    hr_context.close()
    assert PeriodLock.objects.filter(status="locked").count() == 3

    page.locator(f"#ra-{ra.pk} details summary").first.click()
    page.locator(f"#url-{ra.pk}").fill("https://drive.example.go.id/rekap")
    page.locator(f"#url-{ra.pk}").locator("xpath=ancestor::form").locator("button").click()
    expect(page.locator(".messages")).to_contain_text("terkunci")
    expect(page.locator("#locked-banner")).to_be_visible()
    assert BuktiDukung.objects.count() == 1
