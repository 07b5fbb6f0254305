"""The dashboard as a printable report (PDF, A4): the office's letterhead
(organization.letterhead, fonts embedded), then every figure of the page as a table,
under the chart the page draws of it (report_charts)."""

import io
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from organization.letterhead import FONT, FONT_BOLD, draw_letterhead, register_fonts

from . import report_charts, tables

MARGIN = 18 * mm
WIDTH, HEIGHT = A4


def _styles():
    return {
        "title": ParagraphStyle("title", fontName=FONT_BOLD, fontSize=13, leading=17, spaceAfter=2),
        "sub": ParagraphStyle("sub", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=8),
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=11),
        "head": ParagraphStyle("head", fontName=FONT_BOLD, fontSize=8.5, leading=11),
        "note": ParagraphStyle(
            "note", fontName=FONT, fontSize=8, leading=10.5, textColor=colors.grey
        ),
    }


def _letterhead_height(office) -> float:
    probe = canvas.Canvas(io.BytesIO(), pagesize=A4)
    return HEIGHT - MARGIN - draw_letterhead(probe, office, page_width=WIDTH, top=HEIGHT - MARGIN)


def _table(table: tables.FigureTable, styles) -> list:
    head = [Paragraph(str(h), styles["head"]) for h in table.header]
    body = [[Paragraph(_text(v), styles["cell"]) for v in row] for row in table.rows]
    if not body:
        body = [[Paragraph(table.empty, styles["cell"])] + [""] * (len(head) - 1)]
    share = 0.65 if len(head) <= 2 else 0.5 if len(head) <= 4 else 0.36
    first = (WIDTH - 2 * MARGIN) * share
    rest = (WIDTH - 2 * MARGIN - first) / max(len(head) - 1, 1)
    grid = Table([head, *body], colWidths=[first] + [rest] * (len(head) - 1), repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3f3e6")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#d5dbd7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    parts = [Paragraph(table.title, styles["h2"])]
    if table.note:
        parts.append(Paragraph(table.note, styles["note"]))
    parts += _charts(table, styles)
    return [KeepTogether([*parts, Spacer(1, 2 * mm), grid])] if len(body) < 25 else [*parts, grid]


def _charts(table: tables.FigureTable, styles) -> list:
    """The table's charts: one across the page, or side by side in a row."""
    width = (WIDTH - 2 * MARGIN) / max(len(table.charts), 1)
    titled = len(table.charts) > 1
    drawn = [(c, report_charts.drawing(c, width, titled=titled)) for c in table.charts]
    drawn = [(c, d) for c, d in drawn if d is not None]
    if not drawn:
        return []
    parts = [Spacer(1, 2 * mm)]
    if len(drawn) == 1:
        parts.append(drawn[0][1])
    else:
        row = Table([[d for _c, d in drawn]], colWidths=[width] * len(drawn))
        row.setStyle(
            TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        )
        parts.append(row)
    parts += [Paragraph(n, styles["note"]) for c, _d in drawn if (n := report_charts.cut_note(c))]
    return parts


def _text(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        return formats.number_format(value, use_l10n=True)
    return str(value).replace("&", "&amp;").replace("<", "&lt;")


def build(*, scope, period, figures, today) -> bytes:
    register_fonts()
    styles = _styles()
    office = scope.office
    out = io.BytesIO()
    title = _("Service performance report")
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{title}: {office.name}",
        author=office.name,
        subject=tables.period_label(period),
        initialFontName=FONT,  # not reportlab's Helvetica: every font embedded
    )
    printed = formats.date_format(timezone.localtime(), "j F Y H:i")

    def first_page(pdf, doc):
        draw_letterhead(pdf, office, page_width=WIDTH, top=HEIGHT - MARGIN)
        footer(pdf, doc)

    def footer(pdf, doc):
        pdf.setFont(FONT, 7.5)
        pdf.setFillColor(colors.grey)
        pdf.drawString(MARGIN, 10 * mm, _("Printed %(when)s from Alur") % {"when": printed})
        pdf.drawRightString(WIDTH - MARGIN, 10 * mm, _("Page %(n)s") % {"n": doc.page})

    story = [
        Spacer(1, _letterhead_height(office)),
        Paragraph(f"{title}: {tables.period_label(period)}", styles["title"]),
        Paragraph(_text(tables.scope_label(scope)), styles["sub"]),
    ]
    for table in tables.figure_tables(figures):
        story += _table(table, styles)
    document.build(story, onFirstPage=first_page, onLaterPages=footer)
    return out.getvalue()
