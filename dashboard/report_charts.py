"""The page's charts drawn for the PDF report: reportlab's own vector charts (no image, no
browser), from the same `tables.Chart` figures, in the embedded fonts. A chart with
nothing to show is left out: its table still says so."""

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.doughnut import Doughnut
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm

from organization.letterhead import FONT, FONT_BOLD

from .tables import Chart

SIZE = 7  # the charts' text; the tables' is 8.5 (the report's tests tell them apart)
MAX_BARS = 15  # a horizontal chart's rows; the table below has every row
LABEL_CHARS = 38


def _number(value) -> str:
    return "–" if value is None else formats.number_format(value, use_l10n=True)


def _short(label) -> str:
    text = str(label)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _legend(x, y, entries, *, columns=1) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = FONT, SIZE
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.columnMaximum = max(1, -(-len(entries) // columns))
    legend.dx = legend.dy = 6
    legend.deltay = 9
    legend.colorNamePairs = entries
    return legend


def _text_style(labels) -> None:
    labels.fontName, labels.fontSize = FONT, SIZE


def _bars(chart: Chart, width: float) -> Drawing:
    horizontal = chart.kind == "hbar"
    labels = [_short(label) for label in chart.labels[:MAX_BARS]]
    data = [[v or 0 for v in values[:MAX_BARS]] for _n, values, _c in chart.series]
    many = len(chart.series) > 1
    legend_room = 14 if many else 0
    if horizontal:
        row = len(chart.series) * 7 + 6
        height = len(labels) * row + 24 + legend_room
        plot = HorizontalBarChart()
        plot.x, plot.width = 62 * mm, width - 62 * mm - 20
        plot.categoryAxis.reverseDirection = 1  # the table's first row on top
    else:
        height = 55 * mm + legend_room
        plot = VerticalBarChart()
        plot.x, plot.width = 28, width - 40
        plot.categoryAxis.labels.angle = 30 if len(labels) > 8 else 0
        plot.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 8 else "n"
    plot.y, plot.height = 22, height - 30 - legend_room
    plot.data = data
    plot.categoryAxis.categoryNames = labels
    plot.valueAxis.valueMin = 0
    top = max((v for values in data for v in values), default=0)
    if all(isinstance(v, int) for values in data for v in values):
        plot.valueAxis.valueStep = max(1, -(-top // 5))  # counts: whole ticks
    plot.valueAxis.labelTextFormat = _number
    plot.barLabelFormat = _number
    plot.barLabels.nudge = 7
    for axis_labels in (plot.categoryAxis.labels, plot.valueAxis.labels, plot.barLabels):
        _text_style(axis_labels)
    plot.barSpacing = 1
    plot.groupSpacing = 6
    for i, (_name, _values, colour) in enumerate(chart.series):
        plot.bars[i].fillColor = colors.HexColor(colour)
        plot.bars[i].strokeColor = None
    drawing = Drawing(width, height)
    drawing.add(plot)
    if many:
        entries = [(colors.HexColor(c), name) for name, _v, c in chart.series]
        drawing.add(_legend(plot.x, height - 2, entries, columns=len(entries)))
    return drawing


def _doughnut(chart: Chart, width: float, *, titled: bool) -> Drawing:
    ((_name, values, palette),) = chart.series
    height = 42 * mm
    drawing = Drawing(width, height)
    ring = Doughnut()
    ring.x, ring.y = 0, 14
    ring.width = ring.height = height - 28
    ring.data = [v or 0 for v in values]
    ring.labels = None
    ring.innerRadiusFraction = 0.55
    for i, colour in enumerate(palette):
        ring.slices[i].fillColor = colors.HexColor(colour)
        ring.slices[i].strokeColor = colors.white
    drawing.add(ring)
    entries = [
        (colors.HexColor(c), f"{label}: {_number(v)}")
        for label, v, c in zip(chart.labels, values, palette, strict=True)
    ]
    drawing.add(_legend(ring.width + 14, height - 22, entries))
    if titled:  # two side by side; one alone is titled by its section
        drawing.add(String(0, height - 8, chart.title, fontName=FONT_BOLD, fontSize=SIZE + 1))
    return drawing


def _line(chart: Chart, width: float) -> Drawing:
    # LinePlot (x, y points), not HorizontalLineChart: that one labels the wrong point
    # when a quarter has no value (reportlab 5.1), and a quarter without a survey has none.
    ((_name, values, colour),) = chart.series
    labels = [str(label) for label in chart.labels]
    height = 50 * mm
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 28, 20, width - 40, height - 30
    plot.data = [[(i, float(v)) for i, v in enumerate(values) if v is not None]]
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = -0.5, len(labels) - 0.5
    plot.xValueAxis.valueSteps = list(range(len(labels)))
    plot.xValueAxis.labelTextFormat = lambda i: labels[round(i)]
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = chart.low, chart.high
    plot.yValueAxis.labelTextFormat = _number
    plot.lineLabelFormat = _number
    plot.lines[0].strokeColor = colors.HexColor(colour)
    plot.lines[0].strokeWidth = 1.5
    plot.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=colors.HexColor(colour))
    for axis_labels in (plot.xValueAxis.labels, plot.yValueAxis.labels, plot.lineLabels):
        _text_style(axis_labels)
    drawing = Drawing(width, height)
    drawing.add(plot)
    return drawing


def drawing(chart: Chart, width: float, *, titled: bool = False) -> Drawing | None:
    """The chart as a reportlab Drawing (a flowable), or None when it has no figure."""
    if chart.is_empty():
        return None
    if chart.kind == "pie":
        made = _doughnut(chart, width, titled=titled)
    elif chart.kind == "line":
        made = _line(chart, width)
    else:
        made = _bars(chart, width)
    # The renderer's starting font, else reportlab's Helvetica (not embedded) is named.
    made.initialFontName, made.initialFontSize = FONT, SIZE
    return made


def cut_note(chart: Chart) -> str:
    """What the PDF says under a horizontal chart cut to its first rows."""
    if chart.kind == "hbar" and len(chart.labels) > MAX_BARS:
        return _("The chart shows the first %(n)d rows; the table has them all.") % {"n": MAX_BARS}
    return ""
