"""Citizen pages through Django's test client (no JavaScript: the plain form posts)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tracking.models import FormSubmission
from workflow import services as workflow_services
from workflow.models import Channel, Document, RequestStatus, ServiceRequest

from .conftest import APPLICANT, PHONE_E164, stored_request

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="ktp-siti-rahasia.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def form_token(client, service):
    html = client.get(f"/layanan/{service.code}/").content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def post_application(client, service, *, token=None, headers=None, **overrides):
    body = {
        "applicant_name": APPLICANT["name"],
        "applicant_phone": APPLICANT["phone"],
        "applicant_nik": APPLICANT["nik"],
        "applicant_email": APPLICANT["email"],
        "f_nama_ppiu": "Biro Wisata Rahasia Barokah",
        "f_jenis_kelamin": "Perempuan",
        "f_tanggal_berangkat": "2026-12-20",
        "d_ktp": pdf(),
        "form_token": token if token is not None else form_token(client, service),
    }
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}
    return client.post(f"/layanan/{service.code}/", body, headers=headers)


def submit(service, **kwargs):
    return workflow_services.service_request_submit(
        service=service,
        applicant=dict(APPLICANT),
        data={"nama_ppiu": "Biro Wisata Rahasia Barokah", "jenis_kelamin": "Perempuan"},
        documents={"ktp": pdf()},
        channel=kwargs.pop("channel", Channel.ONLINE),
        **kwargs,
    )


# --- catalogue ------------------------------------------------------------------------


def test_catalogue_groups_by_unit_and_searches_without_js(client, portal_service):
    other = factories.ServiceTypeFactory(name="Legalisir Ijazah Madrasah", code="legalisir")
    factories.StepFactory(service=other)
    html = client.get("/").content.decode()
    assert "Rekomendasi Paspor Umrah" in html and "Legalisir Ijazah Madrasah" in html
    assert "Seksi PHU" in html and other.unit.name in html
    html = client.get("/", {"q": "umrah"}).content.decode()
    assert "Rekomendasi Paspor Umrah" in html
    assert "Legalisir Ijazah Madrasah" not in html


def test_inactive_services_are_hidden(client, portal_service):
    portal_service.is_active = False
    portal_service.save()
    assert "Rekomendasi Paspor Umrah" not in client.get("/").content.decode()
    assert client.get(f"/layanan/{portal_service.code}/").status_code == 404


def test_service_page_shows_the_standard_and_the_generated_form(client, portal_service):
    response = client.get(f"/layanan/{portal_service.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Verifikasi berkas",
        "Paraf Kasi",
        "Tanda tangan",
        "PMA 5/2021",
        "Surat rekomendasi",
    ]:
        assert text in html
    assert "WhatsApp pengaduan" in html
    assert "Gratis" in html  # fee 0, in Bahasa Indonesia by default
    assert re.search(r'<select name="f_jenis_kelamin"[^>]*required', html)
    assert re.search(r'<input type="date" name="f_tanggal_berangkat"', html)
    assert 'accept="application/pdf,.pdf"' in html
    assert 'data-max-bytes="100000"' in html
    assert '<label for="id_applicant_phone">' in html
    assert 'aria-describedby="id_f_nama_ppiu_helptext"' in html


def test_fee_in_rupiah(client, portal_service):
    portal_service.fee = 150000
    portal_service.save()
    assert "Rp 150.000" in client.get(f"/layanan/{portal_service.code}/").content.decode()


# --- submitting ----------------------------------------------------------------------


def test_submit_lands_on_the_receipt_with_number_due_date_and_qr(client, portal_service):
    response = post_application(client, portal_service)
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert request.channel == Channel.ONLINE
    assert request.applicant_phone == PHONE_E164
    assert request.data["nama_ppiu"] == "Biro Wisata Rahasia Barokah"
    assert request.documents.get().original_name == "ktp-siti-rahasia.pdf"
    assert response["Location"] == f"/permohonan/{request.registration_number}/tanda-terima/"
    html = client.get(response["Location"]).content.decode()
    assert request.registration_number in html
    assert "<svg" in html
    assert f'data-url="http://127.0.0.1:8000/cek-status/{request.registration_number}/"' in html
    assert f"?token={request.access_token}" in html


def test_form_errors_are_shown_next_to_fields_and_nothing_is_created(client, portal_service):
    response = post_application(
        client, portal_service, applicant_phone="12", f_nama_ppiu="", d_ktp=None
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_applicant_phone"' in html
    assert re.search(r'id="id_applicant_phone_error"', html)
    assert re.search(r'name="applicant_phone"[^>]*aria-invalid="true"', html)
    assert re.search(r'aria-describedby="[^"]*id_f_nama_ppiu_error', html)
    assert 'id="id_d_ktp_error"' in html
    # what the applicant typed is kept
    assert APPLICANT["name"] in html
    assert ServiceRequest.objects.count() == 0
    assert Document.objects.count() == 0
    assert FormSubmission.objects.count() == 0


def test_wrong_document_type_is_refused_next_to_the_input(client, portal_service):
    bad = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, "image/png")
    response = post_application(client, portal_service, d_ktp=bad)
    assert response.status_code == 400
    assert 'id="id_d_ktp_error"' in response.content.decode()
    assert ServiceRequest.objects.count() == 0


def test_too_large_document_is_413_on_the_form(client, portal_service):
    big = SimpleUploadedFile("ktp.pdf", PDF + b"0" * 100_001, "application/pdf")
    response = post_application(client, portal_service, d_ktp=big)
    assert response.status_code == 413
    assert 'id="id_d_ktp_error"' in response.content.decode()
    assert ServiceRequest.objects.count() == 0


def test_double_submit_with_the_same_form_token_creates_one_request(client, portal_service):
    token = form_token(client, portal_service)
    first = post_application(client, portal_service, token=token)
    second = post_application(client, portal_service, token=token)
    assert ServiceRequest.objects.count() == 1
    assert first["Location"] == second["Location"]


# --- public status page --------------------------------------------------------------


def test_status_page_shows_steps_history_and_due_date(client, portal_service):
    request = stored_request(portal_service, history=2)
    response = client.get(f"/cek-status/{request.registration_number}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        r'<li class="current" aria-current="step">\s*<span class="step-name">2\. Paraf Kasi', html
    )
    assert '<li class="done"' in html and '<li class="pending"' in html
    # Only what staff published; the note to the applicant stays private (CONTRACT.md §3).
    assert "catatan publik 0" in html and "catatan publik 1" in html
    assert "catatan 0" not in html and "catatan 1" not in html
    assert "internal staff note" not in html


def test_late_request_says_so(client, portal_service):
    import datetime

    request = stored_request(portal_service)
    ServiceRequest.objects.filter(pk=request.pk).update(due_date=datetime.date(2020, 1, 1))
    html = client.get(f"/cek-status/{request.registration_number}/").content.decode()
    assert 'class="badge overdue"' in html


def test_status_page_leaks_no_personal_data(client, portal_service):
    request = submit(portal_service)
    html = client.get(f"/cek-status/{request.registration_number}/").content.decode()
    assert request.registration_number in html
    for value in [
        APPLICANT["name"],
        PHONE_E164,
        "81234567890",
        APPLICANT["nik"],
        APPLICANT["email"],
        "Biro Wisata Rahasia Barokah",
        "ktp-siti-rahasia",
        request.access_token,
    ]:
        assert value not in html


def test_needs_info_tells_what_to_do_without_the_fix_link(client, portal_service):
    request = stored_request(portal_service, status=RequestStatus.NEEDS_INFO, step_order=1)
    html = client.get(f"/cek-status/{request.registration_number}/").content.decode()
    assert 'class="next-step"' in html
    assert request.access_token not in html
    assert "/permohonan/" not in html


def test_lookup_form_redirects_and_explains_a_mistyped_number(client, portal_service):
    request = stored_request(portal_service)
    typed = request.registration_number.lower()
    response = client.get("/cek-status/", {"nomor": typed})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    bad = request.registration_number[:-1] + (
        "A" if request.registration_number[-1] != "A" else "B"
    )
    response = client.get("/cek-status/", {"nomor": bad})
    assert response.status_code == 400
    assert "periksa kembali" in response.content.decode()
    response = client.get(f"/cek-status/{bad}/")
    assert response.status_code == 400
    assert "periksa kembali" in response.content.decode()


def test_unknown_number_page_is_404(client, db):
    from workflow.numbers import format_number

    response = client.get(
        f"/cek-status/{format_number(office_code='KJB', year=2026, sequence=777)}/"
    )
    assert response.status_code == 404
    assert "tidak ditemukan" in response.content.decode().lower()


def test_status_page_is_rate_limited_with_retry_after(client, portal_service, settings):
    settings.TRACK_RATE_LIMIT = "2/min"
    request = stored_request(portal_service)
    path = f"/cek-status/{request.registration_number}/"
    assert client.get(path).status_code == 200
    # page and API share one limit per address
    assert client.get(f"/api/v1/track/{request.registration_number}/").status_code == 200
    response = client.get(path)
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "tunggu" in response.content.decode().lower()


# --- the applicant's own request -----------------------------------------------------


def test_token_link_opens_the_own_page_then_drops_the_token(client, portal_service):
    request = submit(portal_service)
    response = client.get(
        f"/permohonan/{request.registration_number}/?token={request.access_token}"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/permohonan/{request.registration_number}/"
    html = client.get(response["Location"]).content.decode()
    assert APPLICANT["name"] in html
    assert "ktp-siti-rahasia.pdf" in html
    document = request.documents.get()
    download = client.get(f"/permohonan/{request.registration_number}/dokumen/{document.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("token", ["", "wrong-token", None])
def test_wrong_or_missing_token_is_the_same_404_as_an_unknown_number(client, portal_service, token):
    from workflow.numbers import format_number

    request = submit(portal_service)
    suffix = "" if token is None else f"?token={token}"
    existing = client.get(f"/permohonan/{request.registration_number}/{suffix}")
    unknown_number = format_number(office_code="KJB", year=2026, sequence=4242)
    unknown = client.get(f"/permohonan/{unknown_number}/{suffix}")
    assert existing.status_code == unknown.status_code == 404
    # identical apart from the address echoed in the language switch and the CSRF mask

    def scrub(response, number):
        text = response.content.decode().replace(number, "N")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert scrub(existing, request.registration_number) == scrub(unknown, unknown_number)
    assert APPLICANT["name"] not in existing.content.decode()
    for path in [
        "tanda-terima/",
        "tanda-terima.pdf",
        "hasil/",
        "batal/",
        f"dokumen/{request.documents.get().pk}/",
    ]:
        assert client.get(f"/permohonan/{request.registration_number}/{path}").status_code == 404


def _returned(service, codes=None):
    from workflow.models import Task

    request = submit(service)
    staff = factories.StaffMembershipFactory(unit=service.unit, role="staff").user
    task = Task.objects.get(request=request, status="open")
    workflow_services.task_claim(task=task, user=staff)
    kwargs = {"correction_codes": codes} if codes is not None else {}
    workflow_services.task_complete(
        task=task, user=staff, decision="return", note="Foto KTP buram, unggah ulang", **kwargs
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.NEEDS_INFO
    return request


def _open_own(client, request):
    client.get(f"/permohonan/{request.registration_number}/?token={request.access_token}")
    return client.get(f"/permohonan/{request.registration_number}/")


def test_returned_request_is_fixed_and_resubmitted(client, portal_service):
    request = _returned(portal_service)
    html = _open_own(client, request).content.decode()
    assert "Foto KTP buram" in html
    assert 'name="f_nama_ppiu"' in html and 'name="d_ktp"' in html
    response = client.post(
        f"/permohonan/{request.registration_number}/perbaiki/",
        {
            "f_nama_ppiu": "Biro Wisata Rahasia Barokah",
            "f_jenis_kelamin": "Perempuan",
            "d_ktp": pdf("ktp-baru.pdf"),
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status != RequestStatus.NEEDS_INFO
    names = sorted(request.documents.values_list("original_name", "superseded"))
    assert names == [("ktp-baru.pdf", False), ("ktp-siti-rahasia.pdf", True)]


def test_resubmit_errors_are_shown_and_nothing_changes(client, portal_service):
    request = _returned(portal_service)
    _open_own(client, request)
    response = client.post(
        f"/permohonan/{request.registration_number}/perbaiki/",
        {"f_nama_ppiu": "", "f_jenis_kelamin": "Perempuan"},
    )
    assert response.status_code == 400
    assert 'id="id_f_nama_ppiu_error"' in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.NEEDS_INFO


def test_cancel_asks_for_confirmation_then_cancels(client, portal_service):
    request = submit(portal_service)
    _open_own(client, request)
    confirm = client.get(f"/permohonan/{request.registration_number}/batal/")
    assert confirm.status_code == 200
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    client.post(f"/permohonan/{request.registration_number}/batal/")
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED


# --- counter -------------------------------------------------------------------------


def test_counter_refuses_anonymous_and_non_clerks(client, portal_service):
    assert client.get("/staf/loket/")["Location"].startswith("/staf/masuk/")
    staff = factories.StaffMembershipFactory(unit=portal_service.unit, role="staff").user
    client.force_login(staff)
    assert client.get("/staf/loket/").status_code == 403
    assert client.get(f"/staf/loket/{portal_service.code}/").status_code == 403
    assert ServiceRequest.objects.count() == 0


def test_counter_registers_a_walk_in_request_with_channel_counter(client, portal_service):
    clerk = factories.StaffMembershipFactory(
        unit=factories.UnitFactory(office=portal_service.unit.office, kind="ptsp"), role="clerk"
    ).user
    client.force_login(clerk)
    assert portal_service.name in client.get("/staf/loket/").content.decode()
    html = client.get(f"/staf/loket/{portal_service.code}/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    response = client.post(
        f"/staf/loket/{portal_service.code}/",
        {
            "applicant_name": APPLICANT["name"],
            "applicant_phone": APPLICANT["phone"],
            "f_nama_ppiu": "Biro",
            "f_jenis_kelamin": "Laki-laki",
            "d_ktp": pdf(),
            "form_token": token,
        },
    )
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert request.channel == Channel.COUNTER
    assert request.submitted_by == clerk
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert request.registration_number in receipt.content.decode()


def test_clerks_see_the_counter_link_in_the_header(client, portal_service):
    assert 'href="/staf/loket/"' not in client.get("/").content.decode()
    clerk = factories.StaffMembershipFactory(unit=portal_service.unit, role="clerk").user
    client.force_login(clerk)
    html = client.get("/").content.decode()
    assert '<a href="/staf/loket/">Loket</a>' in html
