"""Stored files are served by their sniffed type under a derived name, never the name or
type the applicant claimed; decompression bombs are refused at upload."""

import io

import pytest
from PIL import Image

from tests import factories
from tests.hardening.conftest import post_submission, submission
from workflow.models import Document, ServiceRequest

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = ["evil.html", "../../x.svg", 'lapor.pdf";x=.html']


@pytest.fixture(params=HOSTILE_NAMES)
def hostile_request(request, umrah):
    upload = factories.pdf_upload(request.param, content_type="text/html")
    return factories.submit_request(umrah, documents={"ktp": upload})


def _assert_served_as_pdf(response, number):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # named from the request and the document (`KJB-2026-00001-N-ktp.pdf`), never the upload
    assert response["Content-Disposition"] == f'attachment; filename="{number}-ktp.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_staff_api_download_ignores_the_uploaded_name_and_type(api_client, hostile_request, staff):
    document = Document.objects.get(request=hostile_request)
    api_client.force_authenticate(staff)
    url = f"/api/v1/requests/{hostile_request.registration_number}/documents/{document.pk}/"
    _assert_served_as_pdf(api_client.get(url), hostile_request.registration_number)


def test_applicant_api_download_ignores_the_uploaded_name_and_type(api_client, hostile_request):
    document = Document.objects.get(request=hostile_request)
    url = f"/api/v1/requests/{hostile_request.registration_number}/documents/{document.pk}/"
    response = api_client.get(url, headers={"X-Access-Token": hostile_request.access_token})
    _assert_served_as_pdf(response, hostile_request.registration_number)


def test_staff_page_download_ignores_the_uploaded_name_and_type(client, hostile_request, staff):
    document = Document.objects.get(request=hostile_request)
    client.force_login(staff)
    number = hostile_request.registration_number
    _assert_served_as_pdf(client.get(f"/staf/permohonan/{number}/dokumen/{document.pk}/"), number)


def test_applicant_page_download_ignores_the_uploaded_name_and_type(client, hostile_request):
    document = Document.objects.get(request=hostile_request)
    number = hostile_request.registration_number
    client.get(f"/permohonan/{number}/?token={hostile_request.access_token}")
    _assert_served_as_pdf(client.get(f"/permohonan/{number}/dokumen/{document.pk}/"), number)


def png_bytes(width, height):
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def test_a_png_decompression_bomb_is_refused_not_processed(api_client, umrah):
    bomb = png_bytes(10_000, 10_000)  # 100 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    upload = factories.pdf_upload("ktp.png", content=bomb, content_type="image/png")
    # Pillow warns past its own 89-megapixel limit; Alur's stricter one refuses the upload.
    with pytest.warns(Image.DecompressionBombWarning):
        response = post_submission(api_client, files={"ktp": upload})
    assert response.status_code == 400
    assert "10000" in response.json()["ktp"][0]
    assert ServiceRequest.objects.count() == 0


def test_a_normal_photo_passes_the_bomb_check(api_client, umrah):
    upload = factories.pdf_upload("ktp.png", content=png_bytes(1200, 800), content_type="image/png")
    assert post_submission(api_client, files={"ktp": upload}).status_code == 201


def pdf_with_pages(count):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=10, height=10)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_with_thousands_of_pages_is_refused(api_client, umrah):
    upload = factories.pdf_upload("ktp.pdf", content=pdf_with_pages(2000))
    response = post_submission(api_client, files={"ktp": upload})
    assert response.status_code == 400
    assert "2000" in response.json()["ktp"][0]
    assert ServiceRequest.objects.count() == 0


def test_a_pdf_of_a_few_pages_is_accepted(api_client, umrah):
    upload = factories.pdf_upload("ktp.pdf", content=pdf_with_pages(3))
    assert post_submission(api_client, files={"ktp": upload}).status_code == 201


def test_a_control_character_in_an_uploaded_file_name_never_reaches_the_database(api_client, umrah):
    upload = factories.pdf_upload("ktp\x01\x00.pdf")
    response = post_submission(api_client, submission(), files={"ktp": upload})
    if response.status_code == 201:
        assert Document.objects.get().original_name == "ktp.pdf"
    else:
        assert response.status_code == 400
        assert ServiceRequest.objects.count() == 0
