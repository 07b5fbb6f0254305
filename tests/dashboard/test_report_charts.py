"""The PDF report draws the page's charts (vector drawings, reportlab's charts) from the
same figures, each above its table: read back from the PDF's text and drawing colours."""

import datetime
import io
import re

import pytest
import time_machine
from pypdf import PdfReader
from reportlab.lib import colors

from dashboard import report_charts, tables
from tests.dashboard.conftest import WIB

pytestmark = pytest.mark.django_db
URL = "/staf/dasbor/laporan.pdf"


@pytest.fixture(autouse=True)
def _twentieth_of_november():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=WIB), tick=False):
        yield


def _read(content: bytes):
    """Every text drawn, in order, as (size, text); and the pages' drawing operators."""
    reader = PdfReader(io.BytesIO(content))
    drawn = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            drawn.append((round(size * tm[0] * cm[0], 1), text.strip()))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    streams = b"".join(page.get_contents().get_data() for page in reader.pages).decode("latin-1")
    return drawn, streams


def _filled_with(hex_colour: str, streams: str) -> bool:
    """Whether a fill colour (the `r g b rg` operator) of the pages is this one."""
    c = colors.HexColor(hex_colour)
    for fill in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", streams):
        if all(
            abs(float(v) - w) < 1e-3 for v, w in zip(fill, (c.red, c.green, c.blue), strict=True)
        ):
            return True
    return False


def test_the_pdf_draws_the_pages_charts_above_their_tables(client, head, november):
    client.force_login(head)
    response = client.get(URL, {"dari": "2026-11-01", "sampai": "2026-11-20"})
    assert response.status_code == 200
    drawn, streams = _read(response.content)
    chart = [text for size, text in drawn if size == report_charts.SIZE]
    # the doughnuts' legends carry the figures: timeliness, channel, WhatsApp, complaints
    for legend in ("Tepat waktu: 2", "Terlambat: 2", "Ditolak: 1", "Daring: 4", "Loket PTSP: 1"):
        assert legend in chart
    assert "Terkirim atau dibaca: 2" in chart and "Ditanggapi terlambat: 1" in chart
    # the bars' categories, series and values: per week, service, unit, step, median
    for label in ("26 Okt", "16 Nov", "Legalisir ijazah", "Rekomendasi paspor", "PTSP"):
        assert label in chart
    assert {"Diterima", "Tepat waktu", "Terbuka", "Terlambat"} <= set(chart)
    assert "Rekomendasi paspor: 1. Verifikasi" in chart and "4,0" in chart  # median 4 h
    # the IKM trend's line, its point labelled in the quarter that had a survey
    assert "2026-Q4" in chart and "66,67" in chart
    # each chart above its table: the week's bar label before the table's header
    texts = [text for _size, text in drawn]
    assert texts.index("26 Okt") < texts.index("Minggu mulai") < texts.index("26 Okt 2026")
    # drawn as filled shapes in the page's colours, not as text only
    for colour in (tables.BLUE, tables.GREEN, tables.RED, tables.AMBER):
        assert _filled_with(colour, streams), colour


def test_a_chart_with_nothing_to_show_is_left_out_and_its_table_kept(client, head, november):
    client.force_login(head)
    response = client.get(URL, {"dari": "2026-01-01", "sampai": "2026-01-31"})
    assert response.status_code == 200
    drawn, _streams = _read(response.content)
    chart = [text for size, text in drawn if size == report_charts.SIZE]
    texts = [text for _size, text in drawn]
    assert "Tepat waktu: 0" not in chart and "Terkirim atau dibaca: 0" not in chart
    assert "Ringkasan" in texts and "Selesai tepat waktu" in texts  # the tables stay
    assert "PTSP" in chart  # open work is now, not of the period: still drawn
