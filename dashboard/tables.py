"""The dashboard's figures as titled tables: what the PDF report and the Excel workbook
print (one list, so both say the same thing in the same words)."""

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass
class FigureTable:
    key: str  # the workbook's sheet name
    title: str
    header: list
    rows: list = field(default_factory=list)
    note: str = ""
    empty: str = ""


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
    )
    weekly = FigureTable(
        "weekly",
        _("Requests per week"),
        [_("Week of"), _("Requests")],
        [[formats.date_format(r["week"], "j M Y"), r["count"]] for r in f["weekly"]],
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
    )
    per_unit = FigureTable(
        "units",
        _("Open work per unit (now)"),
        [_("Unit"), _("Open"), _("Overdue")],
        [[r["unit"], r["open"], r["overdue"]] for r in f["per_unit"]],
        empty=_("No open tasks."),
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
    )
    survey = FigureTable(
        "ikm",
        _("Satisfaction survey (SKM/IKM)"),
        [_("Period"), "IKM", _("Quality"), _("Respondents")],
        [[_("This period"), ikm["ikm"], ikm["mutu"], ikm["respondents"]]]
        + [[r["period"], r["ikm"], r["mutu"], r["respondents"]] for r in f["ikm"]["trend"]],
        note=_("The period first, then the last four quarters."),
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
