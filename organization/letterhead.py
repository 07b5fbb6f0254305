"""The office's letterhead (kop surat) for printed documents: result letters, receipts.

Fonts are embedded TrueType (Bitstream Vera, shipped inside the `reportlab` package), so
a PDF prints the same everywhere and a signed letter does not depend on the reader's
fonts. Call `register_fonts()` once, then `draw_letterhead(pdf, office, ...)`.
"""

import contextlib
import os
from dataclasses import dataclass
from functools import cache

import reportlab
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "AlurSans"
FONT_BOLD = "AlurSans-Bold"
FONT_ITALIC = "AlurSans-Italic"
_FONT_FILES = {FONT: "Vera.ttf", FONT_BOLD: "VeraBd.ttf", FONT_ITALIC: "VeraIt.ttf"}


@cache
def register_fonts() -> None:
    """Register the embedded fonts with reportlab (idempotent)."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC)


@dataclass(frozen=True)
class Letterhead:
    """What the letterhead prints, read from the office."""

    ministry: str
    office: str
    address_lines: tuple[str, ...]
    contact: str
    opening_hours: str
    logo: object | None  # an ImageReader, or None

    @classmethod
    def of(cls, office) -> "Letterhead":
        contact = " · ".join(
            part
            for part in (
                f"Telp. {office.phone}" if office.phone else "",
                office.email,
                office.website,
            )
            if part
        )
        address = [line.strip() for line in (office.address or "").splitlines() if line.strip()]
        if office.city and not any(office.city in line for line in address):
            address.append(office.city)
        return cls(
            ministry=office.letterhead_ministry or "",
            office=office.name.upper(),
            address_lines=tuple(address[:2]),
            contact=contact,
            opening_hours=" ".join((office.opening_hours or "").split()),
            logo=_logo_of(office),
        )


def _logo_of(office):
    if not office.logo:
        return None
    with contextlib.suppress(OSError, ValueError), office.logo.open("rb") as handle:
        return ImageReader(handle)
    return None


def draw_letterhead(pdf, office, *, page_width: float, top: float, margin: float = 20 * mm):
    """Draw the letterhead at the top of the current page; returns the y below its rule.

    `pdf` is a reportlab canvas; sizes are in points.
    """
    register_fonts()
    head = Letterhead.of(office)
    logo_size = 22 * mm
    if head.logo is not None:
        pdf.drawImage(
            head.logo,
            margin,
            top - logo_size,
            width=logo_size,
            height=logo_size,
            preserveAspectRatio=True,
            mask="auto",
        )
    centre = page_width / 2 + (logo_size / 2 if head.logo is not None else 0)
    y = top - 5 * mm
    pdf.setFont(FONT_BOLD, 12)
    pdf.drawCentredString(centre, y, head.ministry)
    y -= 6 * mm
    pdf.setFont(FONT_BOLD, 13)
    pdf.drawCentredString(centre, y, head.office)
    pdf.setFont(FONT, 8.5)
    for line in head.address_lines:
        y -= 4.5 * mm
        pdf.drawCentredString(centre, y, line[:110])
    if head.contact:
        y -= 4.5 * mm
        pdf.drawCentredString(centre, y, head.contact[:110])
    if head.opening_hours:
        y -= 4.5 * mm
        pdf.setFont(FONT_ITALIC, 8)
        pdf.drawCentredString(centre, y, head.opening_hours[:120])
    y = min(y, top - logo_size) - 3 * mm
    pdf.setLineWidth(1.6)
    pdf.line(margin, y, page_width - margin, y)
    pdf.setLineWidth(0.5)
    pdf.line(margin, y - 1.2 * mm, page_width - margin, y - 1.2 * mm)
    return y - 6 * mm
