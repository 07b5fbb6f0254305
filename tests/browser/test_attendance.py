"""Browser journey (headless Chromium, 360 px, geolocation granted and placed at the
office by Chromium): an employee enrols her face, checks in with a selfie in two taps,
writes a daily log entry linked to one of the month's rencana aksi (her office takes the
realisation as the sum of the daily log, so the plan's realisation follows) and requests a
leave; her superior approves it on a laptop-sized page, the team recap shows the leave day
and her log shows the linked plan."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import Absence, AttendanceRecord, LeaveService, WorkLocation
from skp.models_evaluation import OfficePerformanceSetting
from skp.models_realisation import Realisasi, RencanaAksi
from tests import factories
from tests.attendance.conftest import IMAGES, OFFICE_LAT, OFFICE_LON

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    office = factories.OfficeFactory(code="KJB", name="Kantor Kementerian Agama Kota Jambi")
    unit = factories.UnitFactory(office=office, code="pendma", name="Seksi Pendidikan Madrasah")
    head_position = factories.PositionFactory(unit=unit, name="Kepala Seksi", kind="pengawas")
    staff_position = factories.PositionFactory(
        unit=unit, name="Pengelola Data", superior=head_position
    )
    siti = factories.EmployeeFactory(
        name="Siti Rahmawati", user__username="siti", phone="+6281234567890"
    )
    head = factories.EmployeeFactory(name="Ahmad Fauzi", user__username="fauzi")
    factories.PositionHoldingFactory(employee=siti, position=staff_position)
    factories.PositionHoldingFactory(employee=head, position=head_position)
    WorkLocation.objects.create(
        kind="office",
        office=office,
        name="Kantor Kemenag Kota Jambi",
        latitude=OFFICE_LAT,
        longitude=OFFICE_LON,
        radius_m=150,
    )
    tu = factories.UnitFactory(office=office, code="tu", name="Subbagian Tata Usaha")
    leave = factories.ServiceTypeFactory(
        code="cuti-tahunan", name="Cuti Tahunan", unit=tu, audience="employees"
    )
    factories.FormFieldFactory(service=leave, code="mulai", label="Mulai tanggal", type="date")
    factories.FormFieldFactory(service=leave, code="selesai", label="Sampai tanggal", type="date")
    factories.StepFactory(
        service=leave, order=1, name="Persetujuan atasan langsung", unit=tu, route="superior"
    )
    LeaveService.objects.create(service=leave, absence_kind="cuti_tahunan", annual_days=12)
    today = timezone.localdate()
    skp = factories.SkpFactory(
        employee=siti, position=staff_position, year=today.year, status="approved"
    )
    rhk = factories.RhkFactory(skp=skp, text="Terlaksananya pengelolaan data EMIS")
    RencanaAksi.objects.create(
        skp=skp, rhk=rhk, month=today.month, text="Verifikasi EMIS", target=4, unit="dokumen"
    )
    OfficePerformanceSetting.objects.create(
        office=office, year=today.year, realisation_source="daily_log"
    )
    return siti, head


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        base_url=live_server.url,
        locale="id-ID",
        permissions=["geolocation"],
        geolocation={"latitude": OFFICE_LAT + 0.0003, "longitude": OFFICE_LON, "accuracy": 15},
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def _login(page, username):
    page.goto("/staf/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("rahasia-123")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_enrol_check_in_and_log_on_a_phone(phone, people, browser, live_server):
    page = phone
    _login(page, "siti")
    page.goto("/staf/presensi/")
    page.get_by_role("link", name="Daftarkan wajah saya").click()
    page.get_by_label("Foto acuan wajah Anda").set_input_files(str(IMAGES / "face.jpg"))
    page.get_by_label("Saya setuju").check()
    page.get_by_role("button", name="Daftarkan wajah saya").click()
    expect(page.locator(".messages")).to_contain_text("Wajah Anda sudah terdaftar")
    _no_horizontal_scroll(page)

    # Tap 1 opens the camera (the file input), tap 2 takes the selfie: sent at once.
    expect(page.locator("#geo-status")).to_contain_text("Lokasi ditemukan")
    page.locator("#photo-in").set_input_files(str(IMAGES / "same_face.jpg"))
    expect(page.locator(".messages")).to_contain_text("Absen masuk tercatat")
    record = AttendanceRecord.objects.get()
    assert record.status == "accepted" and record.within_geofence
    assert record.accuracy_m == 15
    _no_horizontal_scroll(page)

    page.get_by_role("link", name="Catatan harian").click()
    page.get_by_label("Mulai").fill("08:00")
    page.get_by_label("Selesai").fill("10:00")
    page.get_by_label("Kegiatan").fill("Verifikasi data EMIS madrasah")
    plan = RencanaAksi.objects.get()
    picker = page.locator("#id_rencana_aksi")
    expect(picker.locator("optgroup")).to_have_attribute(
        "label", "Terlaksananya pengelolaan data EMIS"
    )
    picker.select_option(str(plan.pk))
    page.locator("#id_quantity").fill("2")
    page.get_by_role("button", name="Simpan kegiatan").click()
    expect(page.locator(".messages")).to_contain_text("Kegiatan ditambahkan")
    expect(page.locator("table").first).to_contain_text("Verifikasi data EMIS madrasah")
    # The month's realisation of the plan is the sum of its entries: 2 of 4 dokumen.
    row = page.locator(f"#plan-{plan.pk}")
    expect(row.locator(".plan-realisasi")).to_have_text("2")
    expect(row.locator(".plan-capaian")).to_have_text("50.00%")
    assert Realisasi.objects.get(rencana_aksi=plan).value == 2
    _no_horizontal_scroll(page)

    # A leave request, from the phone.
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    page.get_by_role("link", name="Cuti dan permohonan").click()
    expect(page.locator("#leave-balance")).to_contain_text("sisa 12 dari 12")
    page.get_by_role("link", name="Cuti Tahunan").click()
    page.get_by_label("Mulai tanggal").fill(day.isoformat())
    page.get_by_label("Sampai tanggal").fill(day.isoformat())
    page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.locator(".messages")).to_contain_text("telah dikirim")
    number = page.locator("table a").first.inner_text()
    _no_horizontal_scroll(page)

    # The superior approves it on a laptop-sized page.
    desk = browser.new_context(
        viewport={"width": 1280, "height": 800}, base_url=live_server.url, locale="id-ID"
    )
    superior = desk.new_page()
    superior.on("dialog", lambda dialog: dialog.accept())  # the decision's confirmation
    _login(superior, "fauzi")
    superior.goto("/staf/")
    superior.get_by_role("link", name=number).first.click()
    superior.get_by_label("Keputusan").select_option("approve")
    superior.get_by_role("button", name="Simpan keputusan").click()
    expect(superior.locator(".messages")).to_contain_text(number)
    assert Absence.objects.get().start_date == day
    superior.goto(f"/staf/presensi/tim/?bulan={day:%Y-%m}")
    leave = superior.locator("table.recap tr", has_text="Siti Rahmawati").locator("td.leave")
    expect(leave).to_have_text("1")
    superior.goto("/staf/presensi/tim/")
    row = superior.locator("table.recap tr", has_text="Siti Rahmawati")
    expect(row).to_be_visible()
    superior.locator("table.recap").get_by_role("link", name="Buka").first.click()
    expect(superior.locator("table").first).to_contain_text("Verifikasi data EMIS madrasah")
    expect(superior.locator("table").first).to_contain_text("Verifikasi EMIS")
    expect(superior.locator(f"#plan-{plan.pk} .plan-realisasi")).to_have_text("2")
    desk.close()
