"""The receipt (#13.7): page and PDF carry the office's letterhead (address, opening hours,
logo), the PDF's fonts are embedded, and both QR codes scan to the status page and the
applicant's private link (read back with pypdf, pdftoppm and zxing-cpp)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from tests.pdfcheck import assert_fonts_embedded, pdf_fonts, pdf_qr_codes, pdf_text
from workflow.models import Channel, ServiceRequest

from .test_pages import post_application

pytestmark = pytest.mark.django_db

ADDRESS = "Jl. Jenderal Sudirman No. 12, Thehok"
HOURS = "Senin–Kamis 08.00–16.00 WIB, Jumat 08.00–16.30 WIB"


def png_logo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 107, 61)).save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), "image/png")


@pytest.fixture
def letterhead_office(office):
    office.address = ADDRESS
    office.city = "Kota Jambi"
    office.phone = "0741-123456"
    office.opening_hours = HOURS
    office.logo = png_logo()
    office.full_clean()
    office.save()
    return office


def submitted(client, service) -> ServiceRequest:
    assert post_application(client, service).status_code == 302
    return ServiceRequest.objects.get()


def test_receipt_pdf_has_letterhead_embedded_fonts_and_both_qr_codes(
    client, portal_service, letterhead_office
):
    request = submitted(client, portal_service)
    response = client.get(f"/permohonan/{request.registration_number}/tanda-terima.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdf_text(pdf)
    assert "KEMENTERIAN AGAMA REPUBLIK INDONESIA" in text
    assert letterhead_office.name.upper() in text
    assert ADDRESS in text and HOURS in text and "Telp. 0741-123456" in text
    assert request.registration_number in text
    assert "Siti Rahmawati Zulkarnain" in text
    # Every font is embedded: no viewer substitutes one (the "KJ B" gaps).
    assert_fonts_embedded(pdf)
    assert not any("Helvetica" in name for name in pdf_fonts(pdf))
    # The logo is printed.
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1
    # A walk-in without WhatsApp scans the private link from the paper.
    status_url = f"http://127.0.0.1:8000/cek-status/{request.registration_number}/"
    private_url = (
        f"http://127.0.0.1:8000/permohonan/{request.registration_number}/"
        f"?token={request.access_token}"
    )
    assert pdf_qr_codes(pdf) == [status_url, private_url]
    # The private link written out under its code, for typing it in.
    assert request.access_token[:10] in text.replace("\n", "")


def test_the_private_qr_opens_the_applicants_own_page(client, portal_service, office):
    request = submitted(client, portal_service)
    pdf = client.get(f"/permohonan/{request.registration_number}/tanda-terima.pdf").content
    private_url = pdf_qr_codes(pdf)[1]
    other = client.__class__()  # someone else's phone: no session
    opened = other.get(private_url.removeprefix("http://127.0.0.1:8000"), follow=True)
    assert opened.status_code == 200
    assert "Siti Rahmawati Zulkarnain" in opened.content.decode()


def test_receipt_without_address_hours_or_logo_still_prints(client, portal_service, office):
    request = submitted(client, portal_service)
    pdf = client.get(f"/permohonan/{request.registration_number}/tanda-terima.pdf").content
    assert office.name.upper() in pdf_text(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 0
    assert_fonts_embedded(pdf)
    assert len(pdf_qr_codes(pdf)) == 2


def test_receipt_page_shows_letterhead_logo_and_two_qr_codes(
    client, portal_service, letterhead_office
):
    request = submitted(client, portal_service)
    html = client.get(f"/permohonan/{request.registration_number}/tanda-terima/").content.decode()
    assert 'class="letterhead"' in html
    assert ADDRESS in html and HOURS in html
    logo_url = f"/kantor/{letterhead_office.code}/logo/"
    assert f'src="{logo_url}"' in html
    assert html.count('<svg class="qr"') == 2
    assert f"?token={request.access_token}" in html
    logo = client.get(logo_url)
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert logo.content.startswith(b"\x89PNG")


def test_counter_receipt_is_the_same_receipt(client, portal_service, letterhead_office):
    """The clerk prints the same PDF for a walk-in (channel counter)."""
    request = submitted(client, portal_service)
    ServiceRequest.objects.filter(pk=request.pk).update(channel=Channel.COUNTER)
    pdf = client.get(f"/permohonan/{request.registration_number}/tanda-terima.pdf").content
    assert "Loket PTSP" in pdf_text(pdf)
    assert len(pdf_qr_codes(pdf)) == 2


def test_logo_of_an_office_without_one_or_unknown_is_404(client, office):
    assert client.get(f"/kantor/{office.code}/logo/").status_code == 404
    assert client.get("/kantor/NOPE/logo/").status_code == 404
