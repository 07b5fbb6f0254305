"""The dashboard's figures as titled tables: what the PDF report and the Excel workbook
print (one list, so both say the same thing in the same words). A table may carry the
charts the page draws from the same figures; the PDF draws them above the table."""

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass
class Chart:
    """One chart of the page: `kind` bar, hbar (horizontal), pie or line; one value per
    label in each series. Colours are the page's (dashboard.html's data-chart-colours)."""

    kind: str
    title: str
    labels: list
    series: list  # [(name, values, "#rrggbb")]
    low: float | None = None  # the value axis' range, where the page fixes it
    high: float | None = None

    def is_empty(self) -> bool:
        return not any(v for _name, values, _colour in self.series for v in values)


@dataclass
class FigureTable:
    key: str  # the workbook's sheet name
    title: str
    header: list
    rows: list = field(default_factory=list)
    note: str = ""
    empty: str = ""
    charts: list = field(default_factory=list)


BLUE, GREEN, RED, AMBER, GREY = "#2f6fb0", "#0a6b3d", "#b3261e", "#9a5b00", "#5b645f"


def _pie(title, slices, colours) -> Chart:
    return Chart(
        "pie", title, [label for label, _v in slices], [("", [v for _l, v in slices], colours)]
    )


def period_label(period) -> str:
    if period.is_month:
        return formats.date_format(period.start, "F Y")
    start = formats.date_format(period.start, "j F Y")
    return f"{start} – {formats.date_format(period.end, 'j F Y')}"


def scope_label(scope) -> str:
    return f"{scope.office.name} · {scope.unit.name}" if scope.unit else scope.office.name


def _days(n) -> str:
    return ngettext("%(n)s working day", "%(n)s working days", n) % {"n": n}


@dataclass(frozen=True)
class Percent:
    """A share in percent: printed "50,0%", a percentage cell in the workbook."""

    value: float

    def __str__(self) -> str:
        return f"{formats.number_format(self.value, 1, use_l10n=True)}%"


def _pct(value):
    return None if value is None else Percent(value)


def _step_label(row) -> str:
    return f"{row['service']}: {row['step']}"


def _open_overdue(kind, title, rows, key) -> Chart:
    return Chart(
        kind,
        title,
        [r[key] if key else _step_label(r) for r in rows],
        [
            (_("Open"), [r["open"] for r in rows], BLUE),
            (_("Overdue"), [r["overdue"] for r in rows], RED),
        ],
    )


def figure_tables(f: dict) -> list[FigureTable]:
    t, wa, c, ikm = f["totals"], f["whatsapp"], f["complaints"], f["ikm"]["summary"]
    value = _("Value")
    summary = FigureTable(
        "summary",
        _("At a glance"),
        [_("Figure"), value],
        [
            [_("Requests received"), t["received"]],
            [_("Online"), t["online"]],
            [_("PTSP counter"), t["counter"]],
            [_("Completed on time"), t["on_time"]],
            [_("Completed late"), t["late"]],
            [_("Completed on time (share)"), _pct(t["on_time_rate"])],
            [_("Rejected"), t["rejected"]],
            [_("Cancelled"), t["cancelled"]],
            [_("WhatsApp delivered (share)"), _pct(wa["success_rate"])],
            [_("Satisfaction index (IKM)"), ikm["ikm"]],
            [_("Complaints answered in time (share)"), _pct(c["on_time_rate"])],
        ],
        charts=[
            _pie(
                _("Completed on time or late"),
                [
                    (_("On time"), t["on_time"]),
                    (_("Late"), t["late"]),
                    (_("Rejected"), t["rejected"]),
                    (_("Cancelled"), t["cancelled"]),
                ],
                [GREEN, RED, AMBER, GREY],
            ),
            _pie(
                _("Counter or online"),
                [(_("PTSP counter"), t["counter"]), (_("Online"), t["online"])],
                [AMBER, BLUE],
            ),
        ],
    )
    weekly = FigureTable(
        "weekly",
        _("Requests per week"),
        [_("Week of"), _("Requests")],
        [[formats.date_format(r["week"], "j M Y"), r["count"]] for r in f["weekly"]],
        charts=[
            Chart(
                "bar",
                _("Requests per week"),
                [formats.date_format(r["week"], "j M") for r in f["weekly"]],
                [(_("Requests"), [r["count"] for r in f["weekly"]], BLUE)],
            )
        ],
    )
    per_service = FigureTable(
        "services",
        _("Requests per service"),
        [_("Service"), _("Standard"), _("Received"), _("On time"), _("Late"), _("On time (share)")],
        [
            [
                r["service"],
                _days(r["standard_days"]),
                r["received"],
                r["on_time"],
                r["late"],
                _pct(r["on_time_rate"]),
            ]
            for r in f["per_service"]
        ],
        empty=_("No requests in this period."),
        charts=[
            Chart(
                "hbar",
                _("Requests per service"),
                [r["service"] for r in f["per_service"]],
                [
                    (_("Received"), [r["received"] for r in f["per_service"]], BLUE),
                    (_("On time"), [r["on_time"] for r in f["per_service"]], GREEN),
                    (_("Late"), [r["late"] for r in f["per_service"]], RED),
                ],
            )
        ],
    )
    per_unit = FigureTable(
        "units",
        _("Open work per unit (now)"),
        [_("Unit"), _("Open"), _("Overdue")],
        [[r["unit"], r["open"], r["overdue"]] for r in f["per_unit"]],
        empty=_("No open tasks."),
        charts=[_open_overdue("bar", _("Open work per unit (now)"), f["per_unit"], "unit")],
    )
    per_step = FigureTable(
        "steps",
        _("Where work piles up: open tasks per step (now)"),
        [_("Step"), _("Unit"), _("Open"), _("Overdue")],
        [
            [f"{r['service']}: {r['step']}", r["unit"], r["open"], r["overdue"]]
            for r in f["per_step"]
        ],
        empty=_("No open tasks."),
        charts=[
            _open_overdue(
                "hbar", _("Where work piles up: open tasks per step (now)"), f["per_step"], None
            )
        ],
    )
    median = FigureTable(
        "median",
        _("Median time per step"),
        [_("Step"), _("Standard"), _("Tasks"), _("Median (hours)")],
        [
            [
                f"{r['service']}: {r['step']}",
                _days(r["standard_days"]),
                r["tasks"],
                r["median_hours"],
            ]
            for r in f["median_steps"]
        ],
        note=_(
            "From the step's task opening to its decision, for tasks decided in the period "
            "(calendar hours)."
        ),
        empty=_("No step was decided in this period."),
        charts=[
            Chart(
                "hbar",
                _("Median time per step"),
                [_step_label(r) for r in f["median_steps"]],
                [(_("Median (hours)"), [r["median_hours"] for r in f["median_steps"]], BLUE)],
            )
        ],
    )
    whatsapp = FigureTable(
        "whatsapp",
        _("WhatsApp delivery"),
        [_("Outcome"), _("Messages")],
        [
            [_("Delivered or read"), wa["delivered"]],
            [_("Failed or undelivered"), wa["failed"]],
            [_("On its way"), wa["pending"]],
            [_("Delivered (share of those with an outcome)"), _pct(wa["success_rate"])],
        ],
        charts=[
            _pie(
                _("WhatsApp delivery"),
                [
                    (_("Delivered or read"), wa["delivered"]),
                    (_("Failed or undelivered"), wa["failed"]),
                    (_("On its way"), wa["pending"]),
                ],
                [GREEN, RED, GREY],
            )
        ],
    )
    survey = FigureTable(
        "ikm",
        _("Satisfaction survey (SKM/IKM)"),
        [_("Period"), "IKM", _("Quality"), _("Respondents")],
        [[_("This period"), ikm["ikm"], ikm["mutu"], ikm["respondents"]]]
        + [[r["period"], r["ikm"], r["mutu"], r["respondents"]] for r in f["ikm"]["trend"]],
        note=_("The period first, then the last four quarters."),
        charts=[
            Chart(
                "line",
                _("IKM per quarter"),
                [r["period"] for r in f["ikm"]["trend"]],
                [("IKM", [r["ikm"] for r in f["ikm"]["trend"]], BLUE)],
                low=25,
                high=100,
            )
        ],
    )
    ikm_services = FigureTable(
        "ikm_services",
        _("IKM per service"),
        [_("Service"), "IKM", _("Quality"), _("Respondents")],
        [[r["service"], r["ikm"], r["mutu"], r["respondents"]] for r in f["ikm"]["by_service"]],
        empty=_("No survey responses yet for this period."),
    )
    complaints = FigureTable(
        "complaints",
        _("Complaints"),
        [_("Outcome"), _("Complaints")],
        [
            [_("Received"), c["received"]],
            [_("Answered within the standard"), c["answered_on_time"]],
            [_("Answered late"), c["answered_late"]],
            [_("Open, within the standard"), c["open_in_time"]],
            [_("Open, overdue"), c["open_overdue"]],
        ],
        note=_("Received in the period; the standard is an answer within 5 working days."),
        charts=[
            _pie(
                _("Complaints"),
                [
                    (_("Answered within the standard"), c["answered_on_time"]),
                    (_("Answered late"), c["answered_late"]),
                    (_("Open, within the standard"), c["open_in_time"]),
                    (_("Open, overdue"), c["open_overdue"]),
                ],
                [GREEN, AMBER, BLUE, RED],
            )
        ],
    )
    return [
        summary,
        weekly,
        per_service,
        per_unit,
        per_step,
        median,
        whatsapp,
        survey,
        ikm_services,
        complaints,
    ]
