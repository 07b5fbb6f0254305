"""Rendering a result letter as PDF (before signing): letterhead, title, number, body,
the request's answers, the signing official of the day and the verification QR code."""

import datetime
import io
from dataclasses import dataclass

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit

from config.links import absolute_url
from organization.letterhead import (
    FONT,
    FONT_BOLD,
    draw_letterhead,
    draw_qr,
    pdf_canvas,
    register_fonts,
)

_engine = Engine(autoescape=False)
ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def verification_url(code: str) -> str:
    """What the QR code holds: the public verification page, absolute."""
    return absolute_url(reverse("documents:verify", args=[code]))


def format_letter_number(pattern, *, seq, office, classification, on: datetime.date) -> str:
    return pattern.format(
        seq=f"{seq:04d}",
        office=office.code,
        classification=classification or "-",
        month=f"{on.month:02d}",
        month_roman=ROMAN_MONTHS[on.month - 1],
        year=on.year,
    ).replace("/-/", "/")


def check_body(body: str) -> str | None:
    """Why a template body cannot be used, or None."""
    try:
        _engine.from_string(body).render(Context(_sample_context(), autoescape=False))
    except TemplateSyntaxError as exc:
        return _("The text cannot be rendered: %(error)s") % {"error": exc}
    return None


def _sample_context():
    return {
        "applicant_name": "Nama",
        "registration_number": "KJB-2026-00001-X",
        "service": "Layanan",
        "office": "Kantor",
        "date": "1 Januari 2026",
        "data": {},
    }


@dataclass(frozen=True)
class Signatory:
    name: str
    nip: str
    title: str  # "Plt. Kepala Kantor ..." when acting, else the position's name


@dataclass(frozen=True)
class LetterContent:
    office: object
    title: str
    number: str
    date: datetime.date
    paragraphs: list[str]
    fields: list[tuple[str, str]]
    signatory: Signatory
    code: str


def letter_content(*, template, request, number, on, signatory, code) -> LetterContent:
    with translation.override(settings.LANGUAGE_CODE):
        date_text = formats.date_format(on, "j F Y")
    specs = {f.code: f for f in request.service.fields.all()}
    context = {
        "applicant_name": request.applicant_name,
        "registration_number": request.registration_number,
        "service": request.service.name,
        "office": request.office.name,
        "date": date_text,
        "data": dict(request.data or {}),
    }
    text = _engine.from_string(template.body).render(Context(context, autoescape=False))
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    fields = []
    if template.include_fields:
        fields = [(_("Name"), request.applicant_name)]
        fields += [
            (specs[code].label if code in specs else code, _field_text(specs.get(code), value))
            for code, value in (request.data or {}).items()
            if value not in ("", None)
        ]
        fields.append((_("Registration number"), request.registration_number))
    return LetterContent(
        office=request.office,
        title=template.title,
        number=number,
        date=on,
        paragraphs=paragraphs,
        fields=fields,
        signatory=signatory,
        code=code,
    )


def _field_text(spec, value) -> str:
    """A form answer as the letter prints it (dates in words, in the office's language)."""
    if spec is not None and spec.type == "date":
        try:
            day = datetime.date.fromisoformat(str(value))
        except ValueError:
            return str(value)
        with translation.override(settings.LANGUAGE_CODE):
            return formats.date_format(day, "j F Y")
    return str(value)


def render_letter_pdf(content: LetterContent) -> bytes:
    """The unsigned PDF (A4, embedded fonts)."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = A4
    margin = 22 * mm
    # The initial font is ours too, so no unembedded base-14 font is referenced.
    pdf = pdf_canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{content.title} {content.number}")
    pdf.setAuthor(content.office.name)
    y = draw_letterhead(pdf, content.office, page_width=width, top=height - 15 * mm)
    pdf.setFont(FONT_BOLD, 12)
    pdf.drawCentredString(width / 2, y, content.title.upper())
    title_width = pdf.stringWidth(content.title.upper(), FONT_BOLD, 12)
    pdf.line((width - title_width) / 2, y - 1.2 * mm, (width + title_width) / 2, y - 1.2 * mm)
    y -= 5.5 * mm
    pdf.setFont(FONT, 10)
    pdf.drawCentredString(width / 2, y, _("Number: %(number)s") % {"number": content.number})
    y -= 11 * mm
    text_width = width - 2 * margin
    for paragraph in content.paragraphs:
        for line in simpleSplit(paragraph, FONT, 10.5, text_width):
            y = _next_line(pdf, y, height, margin)
            pdf.setFont(FONT, 10.5)
            pdf.drawString(margin, y, line)
            y -= 5.4 * mm
        y -= 2.5 * mm
    if content.fields:
        label_width = 50 * mm
        for label, value in content.fields:
            lines = simpleSplit(value, FONT, 10, text_width - label_width - 4 * mm) or [""]
            y = _next_line(pdf, y, height, margin)
            pdf.setFont(FONT, 10)
            pdf.drawString(margin + 6 * mm, y, str(label)[:40])
            pdf.drawString(margin + label_width, y, ":")
            for line in lines:
                pdf.drawString(margin + label_width + 4 * mm, y, line)
                y -= 5 * mm
        y -= 4 * mm
    y = _signature_block(pdf, content, y=y, width=width, height=height, margin=margin)
    _verification_footer(pdf, content, margin=margin)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _next_line(pdf, y, height, margin):
    if y < 70 * mm:  # keep room for the signature block and the QR footer
        pdf.showPage()
        return height - margin
    return y


def _signature_block(pdf, content, *, y, width, height, margin):
    if y < 95 * mm:
        pdf.showPage()
        y = height - margin
    x = width - margin - 75 * mm
    city = content.office.city or ""
    with translation.override(settings.LANGUAGE_CODE):
        date_text = formats.date_format(content.date, "j F Y")
    pdf.setFont(FONT, 10.5)
    pdf.drawString(x, y, f"{city}, {date_text}" if city else date_text)
    y -= 5.4 * mm
    for line in simpleSplit(content.signatory.title, FONT, 10.5, 75 * mm):
        pdf.drawString(x, y, line)
        y -= 5.4 * mm
    pdf.setFont(FONT, 8)
    pdf.drawString(x, y - 3 * mm, _("Signed electronically"))
    y -= 16 * mm
    pdf.setFont(FONT_BOLD, 10.5)
    pdf.drawString(x, y, content.signatory.name)
    if content.signatory.nip:
        y -= 5 * mm
        pdf.setFont(FONT, 10)
        pdf.drawString(x, y, f"NIP {content.signatory.nip}")
    return y


def _verification_footer(pdf, content, *, margin):
    url = verification_url(content.code)
    size = 26 * mm
    draw_qr(pdf, url, x=margin, y=14 * mm, size=size)
    pdf.setFont(FONT, 8)
    tx = margin + size + 4 * mm
    pdf.drawString(tx, 14 * mm + size - 6 * mm, _("This document is signed electronically."))
    pdf.drawString(
        tx, 14 * mm + size - 10.5 * mm, _("Check that it is genuine: scan the code or open")
    )
    pdf.drawString(tx, 14 * mm + size - 15 * mm, url)
    pdf.setFont(FONT_BOLD, 9)
    pdf.drawString(
        tx, 14 * mm + size - 20 * mm, _("Verification code: %(code)s") % {"code": content.code}
    )
