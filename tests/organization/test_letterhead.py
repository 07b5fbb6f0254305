"""organization.letterhead, the one home of what printed documents share: the letterhead
on a canvas and as a platypus flowable, the embedded fonts, the QR codes."""

import io

import pytest
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from organization.letterhead import (
    Letterhead,
    draw_letterhead,
    draw_qr,
    letterhead_flowable,
    paragraph_style,
    pdf_canvas,
    qr_matrix,
)
from tests import factories
from tests.pdfcheck import assert_fonts_embedded, pdf_qr_codes, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return factories.OfficeFactory(
        code="KJB",
        name="Kantor Kementerian Agama Kota Jambi",
        address="Jl. Jenderal Sudirman No. 12\nThehok",
        city="Kota Jambi",
        phone="0741-123456",
        email="kotajambi@kemenag.go.id",
        opening_hours="Senin–Jumat  08.00–16.00 WIB",
    )


def test_the_letterhead_reads_the_office(office):
    head = Letterhead.of(office)
    assert head.office == "KANTOR KEMENTERIAN AGAMA KOTA JAMBI"
    assert head.address_lines == ("Jl. Jenderal Sudirman No. 12", "Thehok")
    assert head.contact == "Telp. 0741-123456 · kotajambi@kemenag.go.id"
    assert head.opening_hours == "Senin–Jumat 08.00–16.00 WIB"
    assert head.logo is None and not head.has_logo


def test_canvas_letterhead_prints_every_line_in_embedded_fonts(office):
    buffer = io.BytesIO()
    pdf = pdf_canvas(buffer, pagesize=A5)
    below = draw_letterhead(pdf, office, page_width=A5[0], top=A5[1] - 10 * mm, margin=12 * mm)
    pdf.showPage()
    pdf.save()
    text = pdf_text(buffer.getvalue())
    for line in ["KEMENTERIAN AGAMA REPUBLIK INDONESIA", "KANTOR KEMENTERIAN AGAMA KOTA JAMBI",
                 "Thehok", "kotajambi@kemenag.go.id", "Senin–Jumat 08.00–16.00 WIB"]:  # fmt: skip
        assert line in text
    assert_fonts_embedded(buffer.getvalue())
    # the flowable reserves exactly what the canvas version draws
    assert (A5[1] - 10 * mm) - below == pytest.approx(Letterhead.of(office).height())


def test_flowable_letterhead_in_a_platypus_document(office):
    """What the SKP forms and reports use: `letterhead_flowable` + `canvasmaker=pdf_canvas`."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    style = paragraph_style(fontSize=10)
    doc.build(
        [letterhead_flowable(office, width=doc.width), Paragraph("Laporan bulanan", style)],
        canvasmaker=pdf_canvas,
    )
    text = pdf_text(buffer.getvalue())
    assert "KANTOR KEMENTERIAN AGAMA KOTA JAMBI" in text and "Laporan bulanan" in text
    assert text.index("KANTOR KEMENTERIAN") < text.index("Laporan bulanan")
    assert_fonts_embedded(buffer.getvalue())


def test_a_long_office_name_is_set_smaller_not_cut(office):
    office.name = "Kantor Kementerian Agama Kabupaten Tanjung Jabung Barat Provinsi Jambi"
    buffer = io.BytesIO()
    pdf = pdf_canvas(buffer, pagesize=A5)
    draw_letterhead(pdf, office, page_width=A5[0], top=A5[1] - 10 * mm, margin=12 * mm)
    pdf.showPage()
    pdf.save()
    assert office.name.upper() in pdf_text(buffer.getvalue()).replace("\n", " ")


def test_qr_codes_scan_back_to_their_text():
    url = "https://alur.example.go.id/permohonan/KJB-2026-00042-7/?token=Zx9_abcDEF-123"
    buffer = io.BytesIO()
    pdf = pdf_canvas(buffer, pagesize=A5)
    draw_qr(pdf, url, x=20 * mm, y=100 * mm, size=30 * mm)
    pdf.showPage()
    pdf.save()
    assert pdf_qr_codes(buffer.getvalue()) == [url]
    matrix = qr_matrix(url)
    assert len(matrix) == len(matrix[0]) and len(matrix) >= 21  # square, no quiet zone
