"""Receipts (tanda terima): the status link, its QR code and the PDF."""

import io

import qrcode
import qrcode.image.svg
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from workflow.links import request_access_url, request_status_url


def status_url(registration_number: str) -> str:
    return request_status_url(registration_number)


def access_url(service_request) -> str:
    return request_access_url(service_request.registration_number, service_request.access_token)


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no external file, no script)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg class="qr" role="img" focusable="false" ', 1)


def rupiah(amount: int) -> str:
    if not amount:
        return _("Free of charge")
    return "Rp " + f"{amount:,}".replace(",", ".")


def receipt_pdf(service_request) -> bytes:
    """The printable receipt: number, service, dates, status link and its QR code."""
    sr = service_request
    buffer = io.BytesIO()
    width, height = A5
    pdf = canvas.Canvas(buffer, pagesize=A5, pageCompression=0)
    pdf.setTitle(_("Receipt %(number)s") % {"number": sr.registration_number})
    pdf.setAuthor(sr.office.name)
    x, y = 15 * mm, height - 20 * mm
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(x, y, _("Application receipt"))
    y -= 7 * mm
    pdf.setFont("Helvetica", 10)
    pdf.drawString(x, y, sr.office.name)
    y -= 12 * mm
    pdf.setFont("Helvetica", 10)
    pdf.drawString(x, y, _("Registration number"))
    y -= 8 * mm
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(x, y, sr.registration_number)
    y -= 11 * mm
    local_submitted = timezone.localtime(sr.submitted_at)
    rows = [
        (_("Service"), sr.service.name),
        (_("Applicant"), sr.applicant_name),
        (_("Submitted"), formats.date_format(local_submitted, "DATETIME_FORMAT")),
        (_("Expected completion"), formats.date_format(sr.due_date, "DATE_FORMAT")),
        (_("Fee"), rupiah(sr.service.fee)),
        (_("Channel"), sr.get_channel_display()),
    ]
    for label, value in rows:
        pdf.setFont("Helvetica", 9)
        pdf.drawString(x, y, str(label))
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(x + 38 * mm, y, str(value)[:60])
        y -= 6 * mm
    url = status_url(sr.registration_number)
    size = 40 * mm
    widget = QrCodeWidget(url)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    y -= size + 2 * mm
    renderPDF.draw(drawing, pdf, x, y)
    pdf.setFont("Helvetica", 9)
    pdf.drawString(x + size + 5 * mm, y + size - 5 * mm, _("Check the status:"))
    pdf.drawString(x + size + 5 * mm, y + size - 10 * mm, url[:70])
    y -= 8 * mm
    pdf.setFont("Helvetica", 8)
    pdf.drawString(x, y, _("Keep this receipt. Updates are also sent to your WhatsApp number."))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
