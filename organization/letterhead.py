"""The office's letterhead (kop surat) and the other pieces every printed document shares:
result letters, receipts, SKP forms, reports. One home: the fonts, the letterhead (on a
reportlab canvas, as a platypus flowable, and as data for the HTML pages) and QR codes.

Fonts are embedded TrueType (Bitstream Vera, shipped inside the `reportlab` package:
free, nothing to install on the server), so a PDF prints the same everywhere, no viewer
substitutes a font with other widths (the "KJ B" gaps of an unembedded Helvetica) and a
signed letter does not depend on the reader's fonts. Call `register_fonts()` once (the
helpers here do), then use `FONT`, `FONT_BOLD`, `FONT_ITALIC`; never a base-14 font name.

Entry points: `pdf_canvas(buffer, pagesize=)` (or `canvasmaker=pdf_canvas` for platypus),
`draw_letterhead(pdf, office, page_width=, top=)` on a canvas,
`letterhead_flowable(office, width=)` and `paragraph_style()` in a platypus story,
`Letterhead.of(office)` for a page, `draw_qr(pdf, text, x=, y=, size=)`, `qr_svg(text)`.
"""

import contextlib
import os
from dataclasses import dataclass
from functools import cache

import qrcode
import qrcode.image.svg
import reportlab
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

FONT = "AlurSans"
FONT_BOLD = "AlurSans-Bold"
FONT_ITALIC = "AlurSans-Italic"
FONT_BOLD_ITALIC = "AlurSans-BoldItalic"
_FONT_FILES = {
    FONT: "Vera.ttf",
    FONT_BOLD: "VeraBd.ttf",
    FONT_ITALIC: "VeraIt.ttf",
    FONT_BOLD_ITALIC: "VeraBI.ttf",
}

LOGO_SIZE = 22 * mm
_LINE = 4.5 * mm


@cache
def register_fonts() -> None:
    """Register the embedded fonts with reportlab (idempotent)."""
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    # reportlab.graphics (charts) starts every drawing in its default font, Helvetica,
    # whatever its labels say: make ours the default of this process's drawings.
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = FONT


def pdf_canvas(*args, **kwargs) -> Canvas:
    """A reportlab canvas whose initial font is ours: reportlab names the initial font in
    every page's preamble, so the default (Helvetica, never embedded) would be referenced
    even if nothing is written in it. Also platypus' `doc.build(story, canvasmaker=...)`."""
    register_fonts()
    # platypus passes initialFontName=None: a default would not replace it.
    kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
    kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 10
    return Canvas(*args, **kwargs)


def paragraph_style(name: str = "body", *, bold: bool = False, **attributes):
    """A platypus ParagraphStyle in the embedded fonts (reportlab's defaults are
    Helvetica, never embedded); `attributes` as ParagraphStyle's (fontSize, leading...)."""
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    attributes.setdefault("fontSize", 9.5)
    attributes.setdefault("leading", attributes["fontSize"] * 1.25)
    return ParagraphStyle(name, fontName=FONT_BOLD if bold else FONT, **attributes)


@dataclass(frozen=True)
class Letterhead:
    """What the letterhead prints, read from the office (PDFs and pages alike)."""

    ministry: str
    office: str
    address_lines: tuple[str, ...]
    contact: str
    opening_hours: str
    logo: object | None  # an ImageReader, or None
    has_logo: bool = False

    @classmethod
    def of(cls, office, *, read_logo: bool = True) -> "Letterhead":
        """`read_logo=False` for pages, which link to the logo instead of reading it."""
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
            logo=_logo_of(office) if read_logo else None,
            has_logo=bool(office.logo),
        )

    def lines(self) -> list[tuple[str, float, str, float]]:
        """(font, size, text, space above) of each printed line, top to bottom."""
        rows = [(FONT_BOLD, 12, self.ministry, 5 * mm), (FONT_BOLD, 13, self.office, 6 * mm)]
        rows += [(FONT, 8.5, line[:110], _LINE) for line in self.address_lines]
        if self.contact:
            rows.append((FONT, 8.5, self.contact[:110], _LINE))
        if self.opening_hours:
            rows.append((FONT_ITALIC, 8, self.opening_hours[:120], _LINE))
        return rows

    def height(self) -> float:
        """From the top of the letterhead to where the text below it starts."""
        text = sum(space for _font, _size, _text, space in self.lines())
        return max(text, LOGO_SIZE) + 3 * mm + 6 * mm


def _logo_of(office):
    if not office.logo:
        return None
    with contextlib.suppress(OSError, ValueError), office.logo.open("rb") as handle:
        return ImageReader(handle)
    return None


def _draw(pdf, head: Letterhead, *, page_width: float, top: float, margin: float) -> float:
    register_fonts()
    if head.logo is not None:
        pdf.drawImage(
            head.logo,
            margin,
            top - LOGO_SIZE,
            width=LOGO_SIZE,
            height=LOGO_SIZE,
            preserveAspectRatio=True,
            mask="auto",
        )
    # The text is centred in the room right of the logo; a line too long for it (a long
    # office name on an A5 receipt) is set smaller rather than run off the page.
    left = margin + (LOGO_SIZE + 3 * mm if head.logo is not None else 0)
    room = page_width - margin - left
    centre = left + room / 2
    y = top
    for font, size, text, space in head.lines():
        y -= space
        fitted = min(size, size * room / max(pdfmetrics.stringWidth(text, font, size), 1))
        pdf.setFont(font, fitted)
        pdf.drawCentredString(centre, y, text)
    y = min(y, top - LOGO_SIZE) - 3 * mm  # as tall as a logo even without one
    pdf.setLineWidth(1.6)
    pdf.line(margin, y, page_width - margin, y)
    pdf.setLineWidth(0.5)
    pdf.line(margin, y - 1.2 * mm, page_width - margin, y - 1.2 * mm)
    return y - 6 * mm


def draw_letterhead(pdf, office, *, page_width: float, top: float, margin: float = 20 * mm):
    """Draw the letterhead at the top of the current page; returns the y below its rule.

    `pdf` is a reportlab canvas; sizes are in points.
    """
    return _draw(pdf, Letterhead.of(office), page_width=page_width, top=top, margin=margin)


class _LetterheadFlowable(Flowable):
    def __init__(self, head: Letterhead, width: float):
        super().__init__()
        self.head = head
        self.width = width
        self.height = head.height()

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        _draw(self.canv, self.head, page_width=self.width, top=self.height, margin=0)


def letterhead_flowable(office, *, width: float) -> Flowable:
    """The letterhead as a platypus flowable `width` points wide (the frame's width)."""
    register_fonts()
    return _LetterheadFlowable(Letterhead.of(office), width)


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR code of `text` (medium error correction, no quiet zone) as rows of modules."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def qr_svg(text: str, *, label: str = "") -> str:
    """The QR code of `text` as inline SVG for a page (no external file, no script)."""
    from django.utils.html import escape

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    attrs = 'class="qr" role="img" focusable="false" '
    if label:
        attrs += f'aria-label="{escape(label)}" '
    return svg.replace("<svg ", "<svg " + attrs, 1)


def draw_qr(pdf, text: str, *, x: float, y: float, size: float) -> None:
    """Draw the QR code of `text` as a `size`-point square with its lower left at (x, y).
    The white quiet zone around it (4 modules) is the caller's margin."""
    matrix = qr_matrix(text)
    module = size / len(matrix)
    pdf.saveState()
    pdf.setFillColorRGB(0, 0, 0)
    for row, cells in enumerate(matrix):
        top = y + size - (row + 1) * module
        start = None
        for col, dark in enumerate([*cells, False]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                # One rectangle per run of dark modules: smaller files than one per module.
                pdf.rect(x + start * module, top, (col - start) * module, module, 0, 1)
                start = None
    pdf.restoreState()
