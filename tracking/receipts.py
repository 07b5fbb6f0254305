"""Receipts (tanda terima): the status link, the private link, their QR codes and the PDF.

The PDF is what a walk-in takes home from the counter: the office's letterhead (address,
opening hours), the registration number, and two QR codes: the public status page and
the applicant's private link (documents, correction, cancel, result), so someone without
WhatsApp can follow and act on the request from the paper alone.
"""

import io

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit

from organization.letterhead import (
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    Letterhead,
    draw_letterhead,
    draw_qr,
    pdf_canvas,
    qr_svg,
    register_fonts,
)
from workflow.links import request_access_url, request_status_url

__all__ = ["qr_svg"]  # the receipt page's QR codes come from the one QR helper


def status_url(registration_number: str) -> str:
    return request_status_url(registration_number)


def access_url(service_request) -> str:
    return request_access_url(service_request.registration_number, service_request.access_token)


def rupiah(amount: int) -> str:
    if not amount:
        return _("Free of charge")
    return "Rp " + f"{amount:,}".replace(",", ".")


def letterhead_of(service_request) -> Letterhead:
    """What the receipt page shows at its top (the same as the PDF's letterhead)."""
    return Letterhead.of(service_request.office, read_logo=False)


def receipt_rows(service_request) -> list[tuple[str, str]]:
    sr = service_request
    local_submitted = timezone.localtime(sr.submitted_at)
    return [
        (_("Service"), sr.service.name),
        (_("Applicant"), sr.applicant_name),
        (_("Submitted"), formats.date_format(local_submitted, "DATETIME_FORMAT")),
        (_("Expected completion"), formats.date_format(sr.due_date, "DATE_FORMAT")),
        (_("Fee"), rupiah(sr.service.fee)),
        (_("Channel"), sr.get_channel_display()),
    ]


def receipt_pdf(service_request) -> bytes:
    """The printable receipt (A5, embedded fonts): letterhead, number, the request's
    facts, the status and private QR codes with their links written out."""
    register_fonts()
    sr = service_request
    buffer = io.BytesIO()
    width, height = A5
    margin = 12 * mm
    text_width = width - 2 * margin
    pdf = pdf_canvas(buffer, pagesize=A5)
    pdf.setTitle(_("Receipt %(number)s") % {"number": sr.registration_number})
    pdf.setAuthor(sr.office.name)
    y = draw_letterhead(pdf, sr.office, page_width=width, top=height - 10 * mm, margin=margin)
    x = margin
    pdf.setFont(FONT_BOLD, 13)
    pdf.drawCentredString(width / 2, y, _("Application receipt").upper())
    y -= 8 * mm
    pdf.setFont(FONT, 9)
    pdf.drawString(x, y, _("Registration number"))
    y -= 8 * mm
    pdf.setFont(FONT_BOLD, 20)
    pdf.drawString(x, y, sr.registration_number)
    y -= 8 * mm
    label_width = 34 * mm
    for label, value in receipt_rows(sr):
        lines = simpleSplit(str(value), FONT_BOLD, 9.5, text_width - label_width) or [""]
        pdf.setFont(FONT, 8.5)
        pdf.drawString(x, y, str(label))
        pdf.setFont(FONT_BOLD, 9.5)
        for line in lines[:3]:
            pdf.drawString(x + label_width, y, line)
            y -= 4.6 * mm
        y -= 0.8 * mm
    y = _qr_pair(pdf, sr, x=x, y=y - 4 * mm, text_width=text_width)
    pdf.setFont(FONT_ITALIC, 7.5)
    for line in simpleSplit(
        _(
            "Keep this receipt. The private code opens your own request: keep it to "
            "yourself. Updates are also sent to your WhatsApp number."
        ),
        FONT_ITALIC,
        7.5,
        text_width,
    ):
        pdf.drawString(x, y, line)
        y -= 3.6 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _qr_pair(pdf, sr, *, x, y, text_width) -> float:
    """The two QR codes side by side, each with its caption and link; returns the y below."""
    size = 34 * mm
    column = text_width / 2
    codes = [
        (_("Check the status"), status_url(sr.registration_number)),
        (_("Your private link"), access_url(sr)),
    ]
    bottom = y
    for i, (caption, url) in enumerate(codes):
        left = x + i * column
        draw_qr(pdf, url, x=left, y=y - size, size=size)
        line_y = y - size - 4 * mm
        pdf.setFont(FONT_BOLD, 8.5)
        pdf.drawString(left, line_y, caption)
        pdf.setFont(FONT, 6.5)
        for line in _url_lines(url, column - 4 * mm):
            line_y -= 3.2 * mm
            pdf.drawString(left, line_y, line)
        bottom = min(bottom, line_y)
    return bottom - 6 * mm


def _url_lines(url: str, width: float) -> list[str]:
    """A link cut into lines that fit `width` (links have no spaces to wrap at)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for ch in url:
        if line and stringWidth(line + ch, FONT, 6.5) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines
