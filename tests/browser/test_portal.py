# ruff: noqa: F811 - pytest fixtures imported from tests.tracking.conftest
"""Citizen journeys in headless Chromium at 360 px wide (JavaScript on: XHR upload)."""

import re
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.tracking.conftest import (  # noqa: F401 - fixtures
    APPLICANT,
    clear_throttle_cache,
    office,
    portal_service,
    private_media,
)
from workflow import services as workflow_services
from workflow.models import Channel, RequestStatus, ServiceRequest, Task
from workflow.numbers import format_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n"


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_submit_on_a_phone_then_follow_the_qr_link_to_the_status(page, portal_service):
    page.goto(f"/layanan/{portal_service.code}/")
    no_horizontal_scroll(page)
    page.fill("#id_applicant_name", APPLICANT["name"])
    page.fill("#id_applicant_phone", APPLICANT["phone"])
    page.fill("#id_applicant_nik", APPLICANT["nik"])
    page.fill("#id_f_nama_ppiu", "Biro Wisata Barokah")
    page.select_option("#id_f_jenis_kelamin", "Perempuan")
    page.set_input_files(
        "#id_d_ktp", files=[{"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    submit = page.locator("form[data-upload] button[type=submit]")
    submit.click()
    page.wait_for_url(re.compile(r"/tanda-terima/$"))
    request = ServiceRequest.objects.get()
    assert request.documents.get().original_name == "ktp.pdf"
    assert page.locator("#registration-number").inner_text() == request.registration_number
    assert page.locator("svg.qr").count() == 2  # the status page and the private link
    no_horizontal_scroll(page)
    target = page.locator(".status-link").get_attribute("data-url")
    assert target.endswith(f"/cek-status/{request.registration_number}/")
    page.goto(urlparse(target).path)
    assert page.locator("#current-step").inner_text().strip() == "1. Verifikasi berkas"
    assert page.locator("li.current .step-name").inner_text().startswith("1.")
    assert page.locator("#status-label").inner_text() == "Diterima"
    no_horizontal_scroll(page)


def test_client_side_validation_stops_an_empty_form(page, portal_service):
    page.goto(f"/layanan/{portal_service.code}/")
    page.locator("form[data-upload] button[type=submit]").click()
    assert page.evaluate("document.querySelector('#id_applicant_name').validity.valueMissing")
    # every HTML pattern compiles as browsers read it (the "v" flag), so none is ignored
    assert page.evaluate(
        "[...document.querySelectorAll('[pattern]')].every(e => {"
        " try { new RegExp(e.pattern, 'v'); return true } catch (x) { return false } })"
    )
    page.fill("#id_applicant_phone", "bukan nomor")
    assert page.evaluate("document.querySelector('#id_applicant_phone').validity.patternMismatch")
    big = PDF + b"0" * 100_001  # the catalogue allows 100 000 bytes
    page.set_input_files(
        "#id_d_ktp", files=[{"name": "besar.pdf", "mimeType": "application/pdf", "buffer": big}]
    )
    message = page.evaluate("document.querySelector('#id_d_ktp').validationMessage")
    assert "terlalu besar" in message
    assert ServiceRequest.objects.count() == 0


def test_server_errors_come_back_next_to_the_fields(page, portal_service):
    page.goto(f"/layanan/{portal_service.code}/")
    page.fill("#id_applicant_name", APPLICANT["name"])
    page.fill("#id_applicant_phone", "0000 0000")  # passes the HTML pattern, not the rules
    page.fill("#id_f_nama_ppiu", "Biro")
    page.select_option("#id_f_jenis_kelamin", "Perempuan")
    page.set_input_files(
        "#id_d_ktp", files=[{"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("form[data-upload] button[type=submit]").click()
    page.locator("#error-summary").wait_for()
    assert page.locator("#id_applicant_phone").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_applicant_phone_error").is_visible()
    page.locator("#error-summary a[href='#id_applicant_phone']").click()
    assert ServiceRequest.objects.count() == 0


def test_a_returned_request_is_fixed_through_the_access_link(page, portal_service):
    request = workflow_services.service_request_submit(
        service=portal_service,
        applicant={"name": APPLICANT["name"], "phone": APPLICANT["phone"]},
        data={"nama_ppiu": "Biro Lama", "jenis_kelamin": "Perempuan"},
        documents={"ktp": SimpleUploadedFile("ktp-lama.pdf", PDF, "application/pdf")},
        channel=Channel.ONLINE,
    )
    staff = factories.StaffMembershipFactory(unit=portal_service.unit, role="staff").user
    task = Task.objects.get(request=request, status="open")
    workflow_services.task_claim(task=task, user=staff)
    workflow_services.task_complete(
        task=task, user=staff, decision="return", note="Nama PPIU salah, KTP buram"
    )
    page.goto(f"/permohonan/{request.registration_number}/?token={request.access_token}")
    assert "token" not in page.url
    assert "Nama PPIU salah" in page.locator(".office-note").inner_text()
    no_horizontal_scroll(page)
    page.fill("#id_f_nama_ppiu", "Biro Baru")
    page.set_input_files(
        "#id_d_ktp",
        files=[{"name": "ktp-baru.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.locator("form[data-upload] button[type=submit]").click()
    page.locator(".message").wait_for()
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED or request.status == "in_progress"
    assert request.data["nama_ppiu"] == "Biro Baru"
    assert page.locator("form[data-upload]").count() == 0
    assert "ktp-baru.pdf" in page.locator(".documents").inner_text()


def test_mistyped_and_unknown_numbers_each_say_so(page, db):
    good = format_number(office_code="KJB", year=2026, sequence=31337)
    mistyped = good[:-1] + ("A" if good[-1] != "A" else "B")
    page.goto("/cek-status/")
    page.fill("#nomor", mistyped)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    assert "tidak valid" in page.locator(".error-summary").inner_text().lower()
    assert page.locator("#nomor").get_attribute("aria-invalid") == "true"
    page.fill("#nomor", good)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Permohonan tidak ditemukan"
    no_horizontal_scroll(page)


def test_receipt_at_360px_shows_the_letterhead_without_horizontal_overflow(page, portal_service):
    """#13.7: the printed receipt's letterhead on the phone page, nothing wider than 360 px."""
    office = portal_service.unit.office
    office.name = "Kantor Kementerian Agama Kabupaten Tanjung Jabung Barat"
    office.address = "Jl. Prof. Dr. Sri Soedewi Maschun Sofwan, S.H. No. 17, Kuala Tungkal"
    office.opening_hours = "Senin–Kamis 08.00–16.00 WIB, Jumat 08.00–16.30 WIB"
    office.save()
    page.goto(f"/layanan/{portal_service.code}/")
    page.fill("#id_applicant_name", APPLICANT["name"])
    page.fill("#id_applicant_phone", APPLICANT["phone"])
    page.fill("#id_f_nama_ppiu", "Biro Wisata Barokah")
    page.select_option("#id_f_jenis_kelamin", "Perempuan")
    page.set_input_files(
        "#id_d_ktp", files=[{"name": "ktp.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.locator("form[data-upload] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/tanda-terima/$"))
    letterhead = page.locator(".receipt .letterhead")
    assert "TANJUNG JABUNG BARAT" in letterhead.inner_text()
    assert "Kuala Tungkal" in letterhead.inner_text()
    assert "Jumat 08.00–16.30 WIB" in letterhead.inner_text()
    assert page.locator(".qr-private svg.qr").is_visible()
    no_horizontal_scroll(page)
    # every element stays inside the viewport (the long private link wraps)
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('.receipt *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert widest <= 360
