"""The dashboard's figures, each computed by the database in one query (aggregates and
PostgreSQL's percentile_cont), so a page costs the same with one request or a million.

Periods are inclusive days in the site's time zone. "Now" figures (open work) ignore the
period: they are the state of the queue today.
"""

import datetime
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from feedback import selectors as feedback_selectors
from feedback.models import Complaint, ComplaintStatus
from notifications.models import Message, MessageKind, MessageStatus
from workflow.models import Channel, RequestStatus, ServiceRequest, Task

from .scope import Scope

MAX_PERIOD_DAYS = 731  # two years: a bounded weekly series


class Median(Aggregate):
    """PostgreSQL's exact median (percentile_cont) of an interval or a number."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start 00:00, the day after end 00:00) in the site's time zone."""
        zone = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return first, after

    def weeks(self) -> list[datetime.date]:
        """The Mondays of the weeks the period touches."""
        monday = self.start - datetime.timedelta(days=self.start.weekday())
        out = []
        while monday <= self.end:
            out.append(monday)
            monday += datetime.timedelta(days=7)
        return out

    @property
    def is_month(self) -> bool:
        return (
            self.start.day == 1
            and self.start.year == self.end.year
            and self.start.month == self.end.month
            and (self.end + datetime.timedelta(days=1)).month != self.end.month
        )


def _in(field: str, period: Period) -> Q:
    first, after = period.bounds
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


def requests_in_scope(scope: Scope):
    """The office's requests; for a unit: those of its services or with a step there."""
    qs = ServiceRequest.objects.filter(office=scope.office)
    if scope.unit is not None:
        at_unit = Task.objects.filter(request=OuterRef("pk"), unit=scope.unit)
        qs = qs.filter(Q(service__unit=scope.unit) | Exists(at_unit))
    return qs


def tasks_in_scope(scope: Scope):
    qs = Task.objects.filter(request__office=scope.office)
    if scope.unit is not None:
        qs = qs.filter(unit=scope.unit)
    return qs


ON_TIME = Q(status=RequestStatus.COMPLETED, completed_at__date__lte=F("due_date"))
LATE = Q(status=RequestStatus.COMPLETED, completed_at__date__gt=F("due_date"))


def request_totals(scope: Scope, period: Period) -> dict:
    """Received in the period (and by channel); finished in the period: completed on time
    or late against the request's due date (the service standard in working days, set at
    submission and again at each resubmission), rejected, cancelled. One query."""
    received, finished = _in("submitted_at", period), _in("completed_at", period)
    row = (
        requests_in_scope(scope)
        .filter(received | finished)
        .aggregate(
            received=Count("pk", filter=received),
            online=Count("pk", filter=received & Q(channel=Channel.ONLINE)),
            counter=Count("pk", filter=received & Q(channel=Channel.COUNTER)),
            on_time=Count("pk", filter=finished & ON_TIME),
            late=Count("pk", filter=finished & LATE),
            rejected=Count("pk", filter=finished & Q(status=RequestStatus.REJECTED)),
            cancelled=Count("pk", filter=finished & Q(status=RequestStatus.CANCELLED)),
        )
    )
    completed = row["on_time"] + row["late"]
    row["completed"] = completed
    row["on_time_rate"] = _rate(row["on_time"], completed)
    row["counter_rate"] = _rate(row["counter"], row["received"])
    return row


def requests_per_week(scope: Scope, period: Period) -> list[dict]:
    """Requests received per week (Monday first), empty weeks included. One query."""
    rows = (
        requests_in_scope(scope)
        .filter(_in("submitted_at", period))
        .annotate(week=TruncWeek("submitted_at"))
        .values("week")
        .annotate(count=Count("pk"))
    )
    counts = {}
    for row in rows:
        week = row["week"]
        week = timezone.localtime(week).date() if isinstance(week, datetime.datetime) else week
        counts[week] = row["count"]
    return [{"week": week, "count": counts.get(week, 0)} for week in period.weeks()]


def requests_per_service(scope: Scope, period: Period) -> list[dict]:
    """Per service: received, completed on time and late in the period. One query."""
    received, finished = _in("submitted_at", period), _in("completed_at", period)
    rows = (
        requests_in_scope(scope)
        .filter(received | finished)
        .values("service_id", "service__name", "service__sla_working_days")
        .annotate(
            received=Count("pk", filter=received),
            on_time=Count("pk", filter=finished & ON_TIME),
            late=Count("pk", filter=finished & LATE),
        )
        .order_by("-received", "service__name")
    )
    return [
        {
            "service": row["service__name"],
            "standard_days": row["service__sla_working_days"],
            "received": row["received"],
            "on_time": row["on_time"],
            "late": row["late"],
            "on_time_rate": _rate(row["on_time"], row["on_time"] + row["late"]),
        }
        for row in rows
    ]


def _overdue(today: datetime.date) -> Q:
    # The queue's own rule (workflow.selectors.task_is_overdue): flagged, or past due.
    return Q(overdue=True) | Q(due_date__lt=today)


def open_per_unit(scope: Scope, today: datetime.date) -> list[dict]:
    """Open tasks and overdue ones per unit, now. One query."""
    rows = (
        tasks_in_scope(scope)
        .filter(status=Task.Status.OPEN)
        .values("unit_id", "unit__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=_overdue(today)))
        .order_by("-open", "unit__name")
    )
    return [{"unit": r["unit__name"], "open": r["open"], "overdue": r["overdue"]} for r in rows]


def open_per_step(scope: Scope, today: datetime.date, limit: int = 15) -> list[dict]:
    """Where work piles up: open and overdue tasks per step, the fullest first. One query."""
    rows = (
        tasks_in_scope(scope)
        .filter(status=Task.Status.OPEN)
        .values("step_id", "step__order", "step__name", "step__service__name", "unit__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=_overdue(today)))
        .order_by("-open", "-overdue", "step__service__name", "step__order")[:limit]
    )
    return [
        {
            "service": r["step__service__name"],
            "step": f"{r['step__order']}. {r['step__name']}",
            "unit": r["unit__name"],
            "open": r["open"],
            "overdue": r["overdue"],
        }
        for r in rows
    ]


def median_per_step(scope: Scope, period: Period, limit: int = 30) -> list[dict]:
    """Median time from a step's task opening to its decision, for tasks decided in the
    period (calendar time, the applicant's wait). PostgreSQL: percentile_cont in one
    query; SQLite (development only): the same rows' durations, median taken here."""
    spent = ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField())
    qs = (
        tasks_in_scope(scope)
        .filter(status=Task.Status.DONE, completed_at__isnull=False)
        .filter(_in("completed_at", period))
    )
    keys = ("step_id", "step__order", "step__name", "step__service__name", "step__sla_working_days")
    if connection.vendor == "postgresql":
        rows = list(
            qs.values(*keys)
            .annotate(tasks=Count("pk"), median=Median(spent, output_field=DurationField()))
            .order_by("-median", "step__service__name", "step__order")[:limit]
        )
    else:
        durations: dict = {}
        for row in qs.annotate(spent=spent).values(*keys, "spent"):
            key = tuple(row[k] for k in keys)
            durations.setdefault(key, []).append(row["spent"])
        rows = [
            {**dict(zip(keys, key, strict=True)), "tasks": len(v), "median": statistics.median(v)}
            for key, v in durations.items()
        ]
        rows.sort(key=lambda r: -r["median"])
        rows = rows[:limit]
    return [
        {
            "service": r["step__service__name"],
            "step": f"{r['step__order']}. {r['step__name']}",
            "standard_days": r["step__sla_working_days"],
            "tasks": r["tasks"],
            "median": r["median"],
            "median_hours": round(r["median"].total_seconds() / 3600, 1),
        }
        for r in rows
    ]


DELIVERED = (MessageStatus.DELIVERED, MessageStatus.READ)
NOT_DELIVERED = (MessageStatus.FAILED, MessageStatus.UNDELIVERED)
PENDING = (MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.SENT)


def whatsapp_delivery(scope: Scope, period: Period) -> dict:
    """WhatsApp messages to applicants queued in the period, by outcome. Success rate:
    delivered (or read) out of those with an outcome; messages still on their way are
    counted apart. One query."""
    row = (
        Message.objects.filter(
            request__in=requests_in_scope(scope), channel=Message.Channel.WHATSAPP
        )
        .exclude(kind=MessageKind.OVERDUE)  # the staff's own reminders
        .filter(_in("created_at", period))
        .aggregate(
            total=Count("pk"),
            delivered=Count("pk", filter=Q(status__in=DELIVERED)),
            read=Count("pk", filter=Q(status=MessageStatus.READ)),
            failed=Count("pk", filter=Q(status__in=NOT_DELIVERED)),
            pending=Count("pk", filter=Q(status__in=PENDING)),
        )
    )
    row["success_rate"] = _rate(row["delivered"], row["delivered"] + row["failed"])
    return row


def complaints_summary(scope: Scope, period: Period, today: datetime.date) -> dict:
    """Complaints received in the period: answered within the standard (5 working days,
    the complaint's due date), answered late, still open and overdue. For a unit: the
    complaints it handles or about its services. One query."""
    qs = Complaint.objects.filter(office=scope.office)
    if scope.unit is not None:
        qs = qs.filter(Q(unit=scope.unit) | Q(service__unit=scope.unit))
    answered = Q(answered_at__isnull=False)
    unanswered = Q(answered_at__isnull=True) & ~Q(status=ComplaintStatus.CLOSED)
    row = qs.filter(_in("received_at", period)).aggregate(
        received=Count("pk"),
        answered_on_time=Count("pk", filter=answered & Q(answered_at__date__lte=F("due_date"))),
        answered_late=Count("pk", filter=answered & Q(answered_at__date__gt=F("due_date"))),
        open=Count("pk", filter=unanswered),
        open_overdue=Count("pk", filter=unanswered & Q(due_date__lt=today)),
    )
    row["answered"] = row["answered_on_time"] + row["answered_late"]
    row["open_in_time"] = row["open"] - row["open_overdue"]
    row["on_time_rate"] = _rate(row["answered_on_time"], row["answered"])
    return row


def ikm(scope: Scope, period: Period) -> dict:
    """The survey (SKM) figures: IKM of the period, its trend per quarter and per service
    (three queries, feedback.selectors)."""
    summary = feedback_selectors.ikm_summary(
        office=scope.office, unit=scope.unit, start=period.start, end=period.end
    )
    trend = feedback_selectors.ikm_trend(
        office=scope.office, unit=scope.unit, today=period.end, quarters=4
    )
    by_service = feedback_selectors.ikm_by_service(
        office=scope.office, unit=scope.unit, start=period.start, end=period.end
    )
    return {"summary": summary, "trend": trend, "by_service": by_service}


def dashboard_figures(scope: Scope, period: Period, today: datetime.date) -> dict:
    """Every figure of the page, the PDF and the workbook (eleven queries)."""
    return {
        "totals": request_totals(scope, period),
        "weekly": requests_per_week(scope, period),
        "per_service": requests_per_service(scope, period),
        "per_unit": open_per_unit(scope, today),
        "per_step": open_per_step(scope, today),
        "median_steps": median_per_step(scope, period),
        "whatsapp": whatsapp_delivery(scope, period),
        "complaints": complaints_summary(scope, period, today),
        "ikm": ikm(scope, period),
    }


def _rate(part: int, whole: int):
    """A percentage with one decimal, None for nothing to count."""
    return round(100 * part / whole, 1) if whole else None
