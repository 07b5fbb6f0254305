"""#17: a result uploaded by staff (not a generated letter) gets a verification code and
QR too: an unsigned PDF carries a verification sheet as its last page, the applicant's
page shows the code, and /verifikasi/<code>/ confirms it by code and digest without
personal data. End to end: the staff API upload, the applicant's download, a third
party's scan and check."""

import hashlib
import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject
from reportlab.pdfgen import canvas
from rest_framework.test import APIClient

from documents.models import IssuedDocument
from tests import factories
from tests.documents.conftest import APPLICANT
from tests.documents.fixtures import at_result_step
from tests.pdfcheck import pdf_qr_codes, pdf_text
from workflow.models import RequestStatus

pytestmark = pytest.mark.django_db


def office_pdf(pages=2) -> bytes:
    """What an office scans or exports: a plain PDF of its own."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for n in range(1, pages + 1):
        pdf.drawString(100, 700, f"Surat rekomendasi halaman {n}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def upload_through_the_api(task, user, content, name="hasil.pdf"):
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        f"/api/v1/tasks/{task.pk}/complete/",
        {"decision": "approve", "note": "", "result": factories.pdf_upload(name, content)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    return response


def test_uploaded_pdf_gets_a_verification_sheet_and_verifies_end_to_end(
    client, at_result, tu_staff
):
    req, task = at_result
    original = office_pdf()
    upload_through_the_api(task, tu_staff, original)
    req.refresh_from_db()
    assert req.status == RequestStatus.COMPLETED
    document = IssuedDocument.objects.get(request=req)
    assert document.kind == IssuedDocument.Kind.UPLOAD

    # The applicant downloads the result through their private link.
    opened = client.get(f"/permohonan/{req.registration_number}/?token={req.access_token}")
    assert opened.status_code == 302
    page = client.get(f"/permohonan/{req.registration_number}/").content.decode()
    assert document.code in page and "verification-codes" in page
    delivered = client.get(f"/permohonan/{req.registration_number}/hasil/")
    assert delivered.status_code == 200
    content = b"".join(delivered.streaming_content) if delivered.streaming else delivered.content
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert document.size == len(content)

    # The office's pages are untouched; the sheet is the last page, with code and QR.
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 3
    assert [reader.pages[i].extract_text().strip() for i in (0, 1)] == [
        "Surat rekomendasi halaman 1",
        "Surat rekomendasi halaman 2",
    ]
    sheet = reader.pages[2].extract_text()
    assert document.code in sheet and "LEMBAR VERIFIKASI" in sheet
    assert APPLICANT["name"] not in pdf_text(content)
    url = f"http://127.0.0.1:8000/verifikasi/{document.code}/"
    assert pdf_qr_codes(content) == [url]

    # A third party scans the code: the page confirms the document, nothing personal.
    third_party = client.__class__()
    verified = third_party.get(f"/verifikasi/{document.code}/")
    assert verified.status_code == 200
    html = verified.content.decode()
    assert "Kankemenag Kota Jambi" in html and document.sha256 in html
    for personal in (APPLICANT["name"], APPLICANT["nik"], req.registration_number, "0812"):
        assert personal not in html
    # ... and checks the file they were given by its digest.
    same = third_party.post(
        f"/verifikasi/{document.code}/", {"file": factories.pdf_upload(content=content)}
    )
    assert same.status_code == 200 and same.context["match"] is True
    original_file = third_party.post(
        f"/verifikasi/{document.code}/", {"file": factories.pdf_upload(content=original)}
    )
    assert original_file.context["match"] is False
    api = APIClient().get(f"/api/v1/verify/{document.code}/").json()
    assert api["valid"] is True and api["sha256"] == document.sha256
    assert api["document"]["kind"] == "upload" and api["document"]["signed"] is False
    assert APPLICANT["name"] not in str(api) and req.registration_number not in str(api)


def test_a_revoked_upload_is_no_longer_valid_and_leaves_the_applicants_page(
    client, at_result, tu_staff, supervisor
):
    req, task = at_result
    upload_through_the_api(task, tu_staff, office_pdf(1))
    document = IssuedDocument.objects.get(request=req)
    from documents.services import document_revoke

    document_revoke(document=document, user=supervisor, reason="Salah unggah")
    assert APIClient().get(f"/api/v1/verify/{document.code}/").json()["valid"] is False
    client.get(f"/permohonan/{req.registration_number}/?token={req.access_token}")
    assert document.code not in client.get(f"/permohonan/{req.registration_number}/").text


def test_a_signed_pdf_is_delivered_as_uploaded(at_result, tu_staff):
    """Appending a page would taint another system's signature: kept byte for byte."""
    req, task = at_result
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(office_pdf(1))))
    writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/SigFlags"): NumberObject(3), NameObject("/Fields"): ArrayObject()}
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    signed = buffer.getvalue()
    upload_through_the_api(task, tu_staff, signed)
    req.refresh_from_db()
    assert req.result_document.read() == signed
    document = IssuedDocument.objects.get(request=req)
    assert document.sha256 == hashlib.sha256(signed).hexdigest()


def test_an_image_result_keeps_its_bytes_and_gets_a_code(umrah, staff, tu_staff):
    req, task = at_result_step(umrah, staff, tu_staff)
    from workflow.services import task_complete

    image = factories.pdf_upload("hasil.png", factories.PNG_BYTES, "image/png")
    task_complete(task=task, user=tu_staff, decision="approve", result_file=image)
    req.refresh_from_db()
    assert req.result_document.read() == factories.PNG_BYTES
    document = IssuedDocument.objects.get(request=req)
    assert document.sha256 == hashlib.sha256(factories.PNG_BYTES).hexdigest()
    assert len(document.code) == 12
