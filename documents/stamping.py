"""A verification sheet (lembar verifikasi) appended to an uploaded PDF result, so the file
the applicant downloads and passes on carries its QR code and verification code like a
generated letter does. Nothing of the office's own pages changes.

Left untouched (None): what is not a readable PDF (images, damaged files), encrypted
files, and PDFs that carry a signature: appending a page would break or taint it (a
signed letter from another system stays as signed). Those are verified by code (shown on
the applicant's page) and by their fingerprint.
"""

import io
import logging

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit

from organization.letterhead import FONT, FONT_BOLD, draw_letterhead, draw_qr, pdf_canvas

from .letters import verification_url

logger = logging.getLogger(__name__)


def _is_signed(reader: PdfReader) -> bool:
    form = reader.trailer["/Root"].get("/AcroForm")
    if form is not None and int(form.get_object().get("/SigFlags", 0)) & 1:
        return True
    fields = reader.get_fields() or {}
    return any(field.get("/FT") == "/Sig" for field in fields.values())


def _sheet(*, office, code: str, title: str, issued_at) -> bytes:
    buffer = io.BytesIO()
    width, height = A4
    margin = 22 * mm
    pdf = pdf_canvas(buffer, pagesize=A4)
    y = draw_letterhead(pdf, office, page_width=width, top=height - 15 * mm, margin=margin)
    with translation.override(settings.LANGUAGE_CODE):
        pdf.setFont(FONT_BOLD, 13)
        pdf.drawCentredString(width / 2, y, _("VERIFICATION SHEET"))
        y -= 12 * mm
        rows = [
            (_("Document"), title),
            (_("Issued"), formats.date_format(timezone.localtime(issued_at), "j F Y")),
            (_("Verification code"), code),
        ]
        for label, value in rows:
            pdf.setFont(FONT, 10)
            pdf.drawString(margin, y, label)
            pdf.setFont(FONT_BOLD, 10)
            for line in simpleSplit(value, FONT_BOLD, 10, width - 2 * margin - 45 * mm)[:3]:
                pdf.drawString(margin + 45 * mm, y, line)
                y -= 5.5 * mm
            y -= 1.5 * mm
        url = verification_url(code)
        size = 45 * mm
        y -= 6 * mm
        draw_qr(pdf, url, x=margin, y=y - size, size=size)
        text = [
            _("This result was uploaded by the office and registered with Alur."),
            _("Check that it is genuine: scan the code or open"),
            url,
            _(
                "The page shows the office and the date of issue and, when you upload this "
                "file there, whether it is exactly the file the office issued."
            ),
        ]
        ty = y - 5 * mm
        pdf.setFont(FONT, 9.5)
        for paragraph in text:
            for line in simpleSplit(paragraph, FONT, 9.5, width - 2 * margin - size - 8 * mm):
                pdf.drawString(margin + size + 8 * mm, ty, line)
                ty -= 5 * mm
            ty -= 1.5 * mm
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def with_verification_sheet(content: bytes, *, office, code: str, title: str, issued_at):
    """`content` with the verification sheet as its last page, or None (see above)."""
    if not content.startswith(b"%PDF"):
        return None
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted or _is_signed(reader):
            return None
        writer = PdfWriter(clone_from=reader)
        sheet = PdfReader(
            io.BytesIO(_sheet(office=office, code=code, title=title, issued_at=issued_at))
        )
        writer.add_page(sheet.pages[0])
        out = io.BytesIO()
        writer.write(out)
    except Exception as exc:  # noqa: BLE001 - any file pypdf cannot rewrite
        # A PDF pypdf cannot rewrite is delivered as uploaded (verified by its hash).
        logger.info("result %s: not stamped (%s)", code, exc.__class__.__name__)
        return None
    return out.getvalue()
