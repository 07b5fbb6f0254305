"""Browser journey of the internal services while a PLT is in force (headless Chromium):
the employee requests a leave and proposes an activity from her phone; the PLT of her
superior position approves both from the queue on a laptop page (the definitive holder
sees neither); the recap shows the leave; the employee then delivers the post-activity
report in her applicant step, shown with its deadline, and the PLT assesses it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attendance.models import Absence, LeaveService
from tests import factories
from workflow.deadlines import add_working_days, is_working_day
from workflow.models import RequestStatus, ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    office = factories.OfficeFactory(code="KJB", name="Kantor Kementerian Agama Kota Jambi")
    unit = factories.UnitFactory(office=office, code="pendma", name="Seksi Pendidikan Madrasah")
    tu = factories.UnitFactory(office=office, code="tu", name="Subbagian Tata Usaha")
    head_position = factories.PositionFactory(
        unit=unit, name="Kepala Seksi Pendidikan Madrasah", kind="pengawas"
    )
    staff_position = factories.PositionFactory(
        unit=unit, name="Pengelola Data", superior=head_position
    )
    siti = factories.EmployeeFactory(
        name="Siti Rahmawati", user__username="siti", phone="+6281234567890"
    )
    fauzi = factories.EmployeeFactory(name="Ahmad Fauzi", user__username="fauzi")
    rina = factories.EmployeeFactory(name="Rina Marlina", user__username="rina")
    factories.PositionHoldingFactory(employee=siti, position=staff_position)
    factories.PositionHoldingFactory(employee=fauzi, position=head_position)
    factories.ActingAssignmentFactory(employee=rina, position=head_position, kind="plt")

    leave = factories.ServiceTypeFactory(
        code="cuti-tahunan", name="Cuti Tahunan", unit=tu, audience="employees"
    )
    factories.FormFieldFactory(service=leave, code="mulai", label="Mulai tanggal", type="date")
    factories.FormFieldFactory(service=leave, code="selesai", label="Sampai tanggal", type="date")
    factories.StepFactory(
        service=leave, order=1, name="Persetujuan atasan langsung", unit=tu, route="superior"
    )
    LeaveService.objects.create(service=leave, absence_kind="cuti_tahunan", annual_days=12)

    activity = factories.ServiceTypeFactory(
        code="usulan-kegiatan", name="Usulan Kegiatan", unit=tu, audience="employees"
    )
    factories.FormFieldFactory(service=activity, code="nama_kegiatan", label="Nama kegiatan")
    for order, name, route, days in [
        (1, "Persetujuan usulan oleh atasan", "superior", 2),
        (2, "Laporan pasca kegiatan (pemohon)", "applicant", 5),
        (3, "Penilaian laporan oleh atasan", "superior", 2),
    ]:
        factories.StepFactory(
            service=activity, order=order, name=name, unit=tu, route=route, sla_working_days=days
        )
    return siti, fauzi, rina


def _login(page, username):
    page.goto("/staf/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("rahasia-123")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def _decide(page, number, note=""):
    page.goto("/staf/")
    page.get_by_role("link", name=number).first.click()
    page.get_by_label("Keputusan").select_option("approve")
    if note:
        page.get_by_label("Catatan untuk pemohon").fill(note)
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.locator(".messages")).to_contain_text(number)


def _apply(page, service_name, fields) -> str:
    page.goto("/staf/presensi/layanan/")
    page.get_by_role("link", name=service_name).click()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.locator(".messages")).to_contain_text("telah dikirim")
    return page.locator("table a").first.inner_text()


def test_the_plt_approves_and_the_applicant_delivers_her_report(people, browser, live_server):
    siti, fauzi, rina = people
    contexts = []

    def new_page(width, height):
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=live_server.url, locale="id-ID"
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # the decision's confirmation
        return page

    day = timezone.localdate() + datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    phone = new_page(360, 740)
    _login(phone, "siti")
    leave_number = _apply(
        phone, "Cuti Tahunan", {"Mulai tanggal": day.isoformat(), "Sampai tanggal": day.isoformat()}
    )
    activity_number = _apply(phone, "Usulan Kegiatan", {"Nama kegiatan": "Bimtek operator EMIS"})
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    # The definitive holder is replaced by the PLT while the decree is in force.
    holder = new_page(1280, 800)
    _login(holder, "fauzi")
    holder.goto("/staf/")
    for number in (leave_number, activity_number):
        expect(holder.get_by_role("link", name=number)).to_have_count(0)

    plt = new_page(1280, 800)
    _login(plt, "rina")
    plt.goto("/staf/")
    for number in (leave_number, activity_number):
        expect(plt.get_by_role("link", name=number).first).to_be_visible()
    _decide(plt, leave_number)
    assert Absence.objects.get(employee=siti).start_date == day
    plt.goto(f"/staf/presensi/tim/?bulan={day:%Y-%m}")
    row = plt.locator("table.recap tr", has_text="Siti Rahmawati")
    expect(row.locator("td.leave")).to_have_text("1")
    _decide(plt, activity_number)

    # The applicant step: hers alone, with its own deadline (5 working days from today).
    due = add_working_days(timezone.localdate(), 5)
    phone.goto("/staf/presensi/layanan/")
    mine = phone.locator("table tr", has_text=activity_number)
    expect(mine).to_contain_text("Laporan pasca kegiatan (pemohon)")
    mine.get_by_role("link", name=activity_number).click()
    expect(phone.locator(".task-panel .due")).to_have_text(due.isoformat())
    phone.get_by_label("Keputusan").select_option("approve")
    phone.get_by_role("button", name="Simpan keputusan").click()
    expect(phone.locator(".error-summary, .errorlist").first).to_be_visible()
    phone.get_by_label("Catatan untuk pemohon").fill("Bimtek diikuti 40 operator madrasah.")
    phone.get_by_role("button", name="Simpan keputusan").click()
    expect(phone.locator(".messages")).to_contain_text(activity_number)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    _decide(plt, activity_number, note="Laporan lengkap.")
    assert ServiceRequest.objects.get(service__code="usulan-kegiatan").status == (
        RequestStatus.COMPLETED
    )
    phone.goto("/staf/presensi/layanan/")
    expect(phone.locator("table tr", has_text=activity_number)).to_contain_text("Selesai")
    for context in contexts:
        context.close()
