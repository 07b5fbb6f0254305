"""The printable SKP (reportlab). The header date is the user's choice (M-SKP: a
flexible date on the print), the identity block is the document's snapshot."""

import calendar
import datetime
import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from organization.letterhead import (
    FONT,
    FONT_BOLD,
    letterhead_flowable,
    pdf_canvas,
    register_fonts,
)

from .models import CORE_VALUE_GUIDES, CoreValue, Rhk, Skp, SkpStatus


def _period(year: int, month: int | None) -> dict:
    if month is None:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    else:
        start = datetime.date(year, month, 1)
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return {"start": date_format(start, "j F Y"), "end": date_format(end, "j F Y")}


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _grid(data, widths, *, header=True) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6ece8")))
    table.setStyle(TableStyle(style))
    return table


# Both SKP documents (the SKP and its evaluation) print on A4 with these margins and styles.
MARGIN = 15 * mm
PAGE_WIDTH = A4[0] - 2 * MARGIN


def a4_document(buffer, *, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author="Alur",
    )


def paragraph_styles(*, size: float, leading: float, title_size: float):
    """(body, bold, title, centre, right) paragraph styles at that body size, in the
    embedded fonts of every printed document (organization.letterhead)."""
    register_fonts()
    styles = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=styles["BodyText"], fontName=FONT, fontSize=size, leading=leading
    )
    bold = ParagraphStyle("bold", parent=body, fontName=FONT_BOLD)
    title = ParagraphStyle(
        "title", parent=styles["Title"], fontName=FONT_BOLD, fontSize=title_size, spaceAfter=2
    )
    centre = ParagraphStyle("centre", parent=body, alignment=1)
    right = ParagraphStyle("right", parent=body, alignment=2)
    return body, bold, title, centre, right


def render_skp_pdf(
    *, skp: Skp, doc: dict, header_date: datetime.date, month: int | None = None
) -> bytes:
    """The SKP as a PDF. `month` (1-12) prints the monthly form: the same targets with
    that month as the period; None prints the annual period."""
    buffer = io.BytesIO()
    pdf = a4_document(buffer, title=f"SKP {skp.year} {doc['employee_name']}")
    body, bold, title, centre, right = paragraph_styles(size=9, leading=11, title_size=14)
    width = PAGE_WIDTH
    office = skp.position.unit.office
    printed_on = date_format(header_date, "j F Y")
    place = office.city or office.name

    story = [
        letterhead_flowable(office, width=width),
        _p(f"{place}, {printed_on}", right),
        _p(_("EMPLOYEE PERFORMANCE TARGETS (SKP)"), title),
        _p(_("Assessment period: %(start)s to %(end)s") % _period(skp.year, month), centre),
        _p(office.name, centre),
    ]
    if skp.status != SkpStatus.APPROVED:
        story.append(
            _p(
                _("Status: %(status)s (not yet approved)") % {"status": skp.get_status_display()},
                centre,
            )
        )
    story.append(Spacer(1, 4 * mm))

    rows = [
        [_p(_("EMPLOYEE ASSESSED"), bold), "", _p(_("PEJABAT PENILAI"), bold), ""],
        [_p(_("Name"), body), _p(doc["employee_name"], body)]
        + [_p(_("Name"), body), _p(doc["penilai_name"], body)],
        [_p(_("NIP"), body), _p(doc["employee_nip"], body)]
        + [_p(_("NIP"), body), _p(doc["penilai_nip"], body)],
        [_p(_("Position"), body), _p(doc["position_name"], body)]
        + [_p(_("Position"), body), _p(doc["penilai_position_name"], body)],
        [_p(_("Unit"), body), _p(doc["unit_name"], body)]
        + [_p(_("Unit"), body), _p(doc["penilai_unit_name"], body)],
    ]
    identity = _grid(rows, [22 * mm, width / 2 - 22 * mm] * 2)
    identity.setStyle(TableStyle([("SPAN", (0, 0), (1, 0)), ("SPAN", (2, 0), (3, 0))]))
    story += [identity, Spacer(1, 5 * mm)]

    rhks = list(skp.rhks.all())
    for kind, heading in [
        (Rhk.Kind.MAIN, _("MAIN PERFORMANCE")),
        (Rhk.Kind.ADDITIONAL, _("ADDITIONAL PERFORMANCE")),
    ]:
        story.append(_p(heading, bold))
        rows = [
            [
                _p(_("No."), bold),
                _p(_("Planned work result (RHK)"), bold),
                _p(_("Aspect"), bold),
                _p(_("Indicator"), bold),
                _p(_("Target"), bold),
            ]
        ]
        number = 0
        for rhk in (r for r in rhks if r.kind == kind):
            number += 1
            text = rhk.text
            if rhk.parent_rhk_id:
                text += "\n" + _("Derived from: %(rhk)s") % {"rhk": rhk.parent_rhk.text}
            indicators = list(rhk.indicators.all()) or [None]
            for i, indicator in enumerate(indicators):
                rows.append(
                    [
                        _p(str(number) if i == 0 else "", body),
                        _p(text if i == 0 else "", body),
                        _p(indicator.get_aspect_display() if indicator else "", body),
                        _p(indicator.text if indicator else "", body),
                        _p(f"{indicator.target} {indicator.unit}" if indicator else "", body),
                    ]
                )
        if number == 0:
            rows.append([_p("", body), _p(_("(none)"), body), "", "", ""])
        story += [
            _grid(rows, [10 * mm, 62 * mm, 22 * mm, width - 124 * mm, 30 * mm]),
            Spacer(1, 4 * mm),
        ]

    expectations = {e.core_value: e.text for e in skp.expectations.all()}
    rows = [
        [
            _p(_("No."), bold),
            _p(_("Work behaviour (BerAKHLAK)"), bold),
            _p(_("Expected behaviour"), bold),
            _p(_("Leader's specific expectation"), bold),
        ]
    ]
    for i, value in enumerate(CoreValue, start=1):
        rows.append(
            [
                _p(str(i), body),
                _p(value.label, body),
                _p(CORE_VALUE_GUIDES[value], body),
                _p(expectations.get(value.value, ""), body),
            ]
        )
    story += [
        _p(_("WORK BEHAVIOUR"), bold),
        _grid(rows, [10 * mm, 35 * mm, width - 105 * mm, 60 * mm]),
        Spacer(1, 8 * mm),
    ]

    signatures = Table(
        [
            [_p("", body), _p(f"{place}, {printed_on}", centre)],
            [_p(_("Employee assessed"), centre), _p(_("Pejabat penilai"), centre)],
            [Spacer(1, 18 * mm), Spacer(1, 18 * mm)],
            [_p(doc["employee_name"], centre), _p(doc["penilai_name"], centre)],
            [
                _p(_("NIP %(nip)s") % {"nip": doc["employee_nip"]}, centre),
                _p(_("NIP %(nip)s") % {"nip": doc["penilai_nip"]}, centre)
                if doc["penilai_nip"]
                else "",
            ],
        ],
        colWidths=[width / 2, width / 2],
        style=[("FONTNAME", (0, 0), (-1, -1), FONT)],
    )
    story.append(signatures)
    pdf.build(story, canvasmaker=pdf_canvas)
    return buffer.getvalue()
