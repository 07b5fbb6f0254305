"""After the result, in Chromium at 360 px: staff sign the result letter, the citizen answers
the survey from the WhatsApp link, /ikm/ and the staff figures show it, the letter verifies,
a complaint is filed and answered, and the head of office's dashboard shows both."""

import re

import pytest
from playwright.sync_api import expect

from documents.models import IssuedDocument
from feedback.models import Complaint, SurveyResponse
from notifications.models import Message
from organization.models import PositionHolding, StaffMembership
from tests import factories
from tests.browser.conftest import open_menu
from tests.documents.fixtures import at_result_step

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fits_a_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _phone_page(browser, live_server):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server.url, locale="id-ID"
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(60_000)  # a loaded CI machine (conftest.page)
    return context, context.new_page()


def test_letter_survey_ikm_and_complaint(
    browser,
    live_server,
    page,
    login,
    umrah,
    staff,
    tu_staff,
    letter_template,
    signing_keys,
    head_of_office,
):
    office = umrah.unit.office
    ptsp = factories.UnitFactory(office=office, code="ptsp", name="PTSP", kind="ptsp")
    officer = factories.UserFactory(username="petugas_aduan")
    StaffMembership.objects.create(user=officer, unit=ptsp, role="staff")
    req, _task = at_result_step(umrah, staff, tu_staff)
    number = req.registration_number

    # staff: generate and sign the letter from the request page
    login("petugas_tu")
    page.goto(f"/staf/permohonan/{number}/")
    page.get_by_role("button", name="Buat dan tandatangani surat").click()
    expect(page.locator(".messages")).to_contain_text(number)
    document = IssuedDocument.objects.get(request=req)
    assert document.kind == "letter"
    req.refresh_from_db()
    assert req.status == "completed"

    # citizen: the survey from the WhatsApp completion message, on a phone
    body = Message.objects.get(request=req, kind="completed").body
    link = re.search(r"https?://\S+/survei/\S+", body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    context, phone = _phone_page(browser, live_server)
    phone.goto(path)
    expect(phone.get_by_role("heading", name="Survei kepuasan masyarakat")).to_be_visible()
    legends = phone.locator("fieldset.survey-element legend").all_inner_texts()
    assert legends[0].startswith("1. Persyaratan") and legends[8].startswith("9. Sarana")
    fits_a_phone(phone)
    for index in range(1, 10):
        phone.locator(f"#q-u{index}").get_by_text("Sangat baik / sangat sesuai").click()
    phone.get_by_label("Komentar atau saran (opsional)").fill("Pelayanan cepat dan ramah.")
    phone.get_by_role("button", name="Kirim jawaban").click()
    expect(phone.locator(".survey-thanks")).to_be_visible()
    assert SurveyResponse.objects.count() == 1

    # the public IKM page and the staff figures show the new response
    phone.goto(f"/ikm/?kantor={office.code}")
    expect(phone.locator(".ikm-figures .ikm")).to_have_text("100,00")
    expect(phone.locator(".ikm-figures .respondents")).to_contain_text("1 responden")
    expect(phone.locator("svg.ikm-chart")).to_be_visible()
    fits_a_phone(phone)
    page.goto("/staf/ikm/")
    expect(page.locator(".ikm-figures .ikm")).to_have_text("100,00")
    expect(page.locator(".comments")).to_contain_text("Pelayanan cepat dan ramah.")

    # the letter's QR code leads to its verification page
    phone.goto(f"/verifikasi/{document.code}/")
    expect(phone.locator(".verdict")).to_contain_text("Asli")
    expect(phone.locator(".sha256")).to_have_text(document.sha256)
    fits_a_phone(phone)

    # a complaint from the status page, answered by the complaint unit
    phone.goto(f"/cek-status/{number}/")
    phone.locator("a.complaint-link").click()
    expect(phone.get_by_label("Nomor registrasi (opsional)")).to_have_value(number)
    phone.get_by_label("Pengaduan Anda").fill("Surat baru saya terima setelah tiga kali datang.")
    phone.get_by_label("Nomor WhatsApp untuk tanggapan (opsional)").fill("0812 3456 7890")
    fits_a_phone(phone)
    phone.get_by_role("button", name="Kirim pengaduan").click()
    code = Complaint.objects.get().tracking_code
    expect(phone.locator(".tracking-code")).to_have_text(code)
    expect(phone.locator(".complaint-status")).to_have_text("Diterima")

    context_staff, staff_page = _phone_page(browser, live_server)
    staff_page.goto("/staf/masuk/")
    staff_page.locator("#id_username").fill("petugas_aduan")
    staff_page.locator("#id_password").fill("rahasia-123")
    staff_page.locator("form.form button[type=submit]").click()
    staff_page.goto("/staf/pengaduan/")
    staff_page.get_by_role("link", name=code).click()
    staff_page.get_by_label("Tanggapan kepada pelapor").fill(
        "Mohon maaf, kami perbaiki antreannya."
    )
    staff_page.get_by_role("button", name="Kirim tanggapan").click()
    expect(staff_page.locator(".messages")).to_contain_text("Tanggapan telah dikirim")
    fits_a_phone(staff_page)

    phone.reload()
    expect(phone.locator(".answers")).to_contain_text("Mohon maaf, kami perbaiki antreannya.")
    expect(phone.locator(".complaint-status")).to_have_text("Ditanggapi")
    assert Message.objects.filter(kind="complaint_answered", recipient="+6281234567890").exists()

    # the head of office's dashboard shows the new response and the answered complaint
    kepala = PositionHolding.objects.get(position=head_of_office).employee
    kepala.user = factories.UserFactory(username="kepala_kantor")
    kepala.save(update_fields=["user"])
    context_head, head_page = _phone_page(browser, live_server)
    head_page.goto("/staf/masuk/")
    head_page.locator("#id_username").fill("kepala_kantor")
    head_page.locator("#id_password").fill("rahasia-123")
    head_page.locator("form.form button[type=submit]").click()
    open_menu(head_page)
    head_page.get_by_role("link", name="Dasbor").click()
    expect(head_page.locator(".fig-ikm")).to_have_text("100,00")
    expect(head_page.locator(".fig-ikm-respondents")).to_contain_text("1 responden")
    expect(head_page.locator(".ikm-section .respondents")).to_contain_text("1 responden")
    expect(head_page.locator(".ikm-section canvas[data-drawn='1']")).to_have_count(1)
    expect(head_page.locator("table.ikm-services")).to_contain_text(umrah.name)
    answered = head_page.locator("table.complaints tbody tr").first.locator("td")
    expect(answered).to_have_text("1")  # answered within the standard
    fits_a_phone(head_page)
    context_head.close()
    context_staff.close()
    context.close()
