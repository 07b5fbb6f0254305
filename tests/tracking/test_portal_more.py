"""Idempotent form posts, the upload script's protocol, results, corrections, language."""

import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from tests import factories
from workflow import services as workflow_services
from workflow.models import RequestStatus, ServiceRequest, Task

from .test_pages import PDF, _open_own, _returned, form_token, post_application, submit


@pytest.mark.django_db
def test_upload_script_gets_the_target_in_a_header(client, portal_service):
    response = post_application(
        client, portal_service, headers={"X-Requested-With": "XMLHttpRequest"}
    )
    request = ServiceRequest.objects.get()
    assert response.status_code == 204
    assert response["X-Location"] == f"/permohonan/{request.registration_number}/tanda-terima/"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_with_one_form_token_create_one_request(portal_service):
    token = "double-click-token-1234567890"
    barrier = threading.Barrier(2)
    results = []

    def click():
        try:
            client = Client()
            barrier.wait()
            results.append(post_application(client, portal_service, token=token))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ServiceRequest.objects.count() == 1
    number = ServiceRequest.objects.get().registration_number
    assert [r.status_code for r in results] == [302, 302]
    assert {r["Location"] for r in results} == {f"/permohonan/{number}/tanda-terima/"}


@pytest.mark.django_db
def test_a_failed_attempt_leaves_the_token_usable(client, portal_service):
    token = form_token(client, portal_service)
    refused = post_application(client, portal_service, token=token, applicant_phone="1")
    assert refused.status_code == 400
    assert "Masukkan nomor telepon yang benar, mis. 0812 3456 7890." in refused.text
    assert ServiceRequest.objects.count() == 0
    assert post_application(client, portal_service, token=token).status_code == 302
    assert ServiceRequest.objects.count() == 1


@pytest.mark.django_db
def test_correction_form_shows_only_what_the_office_asked_for(client, portal_service):
    request = _returned(portal_service, codes=["ktp"])
    html = _open_own(client, request).content.decode()
    assert 'name="d_ktp"' in html
    assert 'name="f_nama_ppiu"' not in html
    assert "ktp-siti-rahasia.pdf" in html  # the earlier upload is kept and named
    response = client.post(
        f"/permohonan/{request.registration_number}/perbaiki/",
        {"d_ktp": SimpleUploadedFile("ktp2.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_PROGRESS  # back into the step it left
    assert request.data["nama_ppiu"] == "Biro Wisata Rahasia Barokah"


@pytest.mark.django_db
def test_result_download_once_completed(client, portal_service):
    request = submit(portal_service)
    staff = factories.StaffMembershipFactory(unit=portal_service.unit, role="staff").user
    portal_service.steps.filter(order=3).update(produces_result=True)
    _open_own(client, request)
    assert client.get(f"/permohonan/{request.registration_number}/hasil/").status_code == 404
    for _ in range(3):
        task = Task.objects.get(request=request, status="open")
        workflow_services.task_claim(task=task, user=staff)
        result = None
        if task.step.order == 3:
            result = SimpleUploadedFile("rekomendasi.pdf", PDF, "application/pdf")
        workflow_services.task_complete(
            task=task, user=staff, decision="approve", result_file=result
        )
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    html = client.get(f"/permohonan/{request.registration_number}/").content.decode()
    assert "/hasil/" in html
    assert "Batalkan permohonan ini" not in html
    response = client.get(f"/permohonan/{request.registration_number}/hasil/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    status = client.get(f"/cek-status/{request.registration_number}/").content.decode()
    assert status.count('<li class="done"') == 3


@pytest.mark.django_db
def test_cancelling_a_finished_request_is_refused_with_a_message(client, portal_service):
    request = submit(portal_service)
    _open_own(client, request)
    client.post(f"/permohonan/{request.registration_number}/batal/")
    response = client.post(f"/permohonan/{request.registration_number}/batal/", follow=True)
    assert response.status_code == 200
    assert 'class="message error"' in response.content.decode()


@pytest.mark.django_db
def test_english_is_available_through_the_language_switch(client, portal_service):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/layanan/{portal_service.code}/").content.decode()
    assert "Service standard" in html and "Free of charge" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    html = client.get(f"/layanan/{portal_service.code}/").content.decode()
    assert "Standar pelayanan" in html
    assert re.search(r"3 hari kerja", html)
