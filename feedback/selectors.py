"""Read side of the feedback room: IKM figures (public, aggregated only) and complaints
(filtered by who may see them)."""

import datetime
import secrets

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncQuarter

from organization.selectors import unit_ids_for_user

from .ikm import band_of, ikm_of, nrr_of
from .models import ELEMENT_CODES, Complaint, SurveyResponse
from .services import COMPLAINT_WORKER_ROLES

_SUMS = {f"sum_{code}": Sum(code) for code in ELEMENT_CODES}


def responses(*, office=None, service=None, unit=None, start=None, end=None):
    qs = SurveyResponse.objects.all()
    if office is not None:
        qs = qs.filter(office=office)
    if service is not None:
        qs = qs.filter(service=service)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if start is not None:
        qs = qs.filter(answered_on__gte=start)
    if end is not None:
        qs = qs.filter(answered_on__lte=end)
    return qs


def _figures(row) -> dict:
    respondents = row.get("respondents") or 0
    if not respondents:
        return {
            "respondents": 0,
            "nrr": dict.fromkeys(ELEMENT_CODES),
            "ikm": None,
            "mutu": None,
            "kinerja": None,
        }
    nrr = {code: nrr_of(row[f"sum_{code}"], respondents) for code in ELEMENT_CODES}
    ikm = ikm_of(nrr.values())
    band = band_of(ikm)
    return {
        "respondents": respondents,
        "nrr": nrr,
        "ikm": ikm,
        "mutu": band.mutu,
        "kinerja": band.kinerja,
    }


def ikm_summary(*, office=None, service=None, unit=None, start=None, end=None) -> dict:
    """{"respondents", "nrr": {u1..u9: Decimal|None}, "ikm": Decimal|None, "mutu", "kinerja"}
    for the chosen service/unit/office and period (inclusive). One query. This is the
    selector the staff dashboard shows too."""
    row = responses(office=office, service=service, unit=unit, start=start, end=end).aggregate(
        respondents=Count("pk"), **_SUMS
    )
    return _figures(row)


def quarter_of(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarters_back(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the last `count` quarters, oldest first (the current one last)."""
    year, quarter = today.year, (today.month - 1) // 3
    starts = []
    for _i in range(count):
        starts.append(datetime.date(year, quarter * 3 + 1, 1))
        quarter -= 1
        if quarter < 0:
            quarter, year = 3, year - 1
    return list(reversed(starts))


def ikm_trend(
    *, office=None, service=None, unit=None, today: datetime.date, quarters: int = 8
) -> list:
    """IKM per quarter over the last `quarters` quarters (empty quarters included). One
    query."""
    starts = quarters_back(today, quarters)
    rows = (
        responses(office=office, service=service, unit=unit, start=starts[0], end=today)
        .annotate(quarter=TruncQuarter("answered_on"))
        .values("quarter")
        .annotate(respondents=Count("pk"), **_SUMS)
    )
    by_quarter = {}
    for row in rows:
        start = row["quarter"]
        start = start.date() if isinstance(start, datetime.datetime) else start
        by_quarter[start] = row
    return [
        {"period": quarter_of(start), "start": start, **_figures(by_quarter.get(start, {}))}
        for start in starts
    ]


def ikm_by_service(*, office, unit=None, start=None, end=None) -> list:
    """IKM per service of the office (or unit) that has responses in the period. One
    query."""
    rows = (
        responses(office=office, unit=unit, start=start, end=end)
        .values("service_id", "service__name", "unit__name")
        .annotate(respondents=Count("pk"), **_SUMS)
        .order_by("service__name")
    )
    return [
        {"service": row["service__name"], "unit": row["unit__name"], **_figures(row)}
        for row in rows
    ]


def comments_for_staff(user, *, office, start=None, end=None, limit=100) -> list:
    """Survey comments for the office's staff (never public): text, service and day only."""
    if not user.is_superuser and not user.memberships.filter(unit__office=office).exists():
        return []
    return list(
        responses(office=office, start=start, end=end)
        .exclude(comment="")
        .select_related("service")
        .order_by("-answered_on", "-pk")[:limit]
    )


# --- complaints ----------------------------------------------------------------------------


def complaints_for_staff(user, *, status=None):
    """Complaints of the complaint units the user works in."""
    unit_ids = unit_ids_for_user(user, roles=COMPLAINT_WORKER_ROLES)
    qs = (
        Complaint.objects.filter(unit_id__in=unit_ids)
        .select_related("office", "unit", "service", "lapor")
        .order_by("due_date", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def complaint_for_staff(user, code: str) -> Complaint | None:
    return (
        complaints_for_staff(user)
        .select_related("request")
        .prefetch_related("answers__author")
        .filter(tracking_code=(code or "").upper())
        .first()
    )


def complaint_for_reporter(code: str, token: str) -> Complaint | None:
    """The complainant's own complaint; unknown code and wrong token look the same."""
    complaint = (
        Complaint.objects.select_related("office", "lapor")
        .prefetch_related("answers")
        .filter(tracking_code=(code or "").upper())
        .first()
    )
    expected = complaint.access_token if complaint is not None else secrets.token_urlsafe(32)
    if not secrets.compare_digest(str(token or "").encode(), expected.encode()):
        return None
    return complaint


def reporter_view(complaint, *, show_reporter: bool) -> dict:
    """What staff may know of who complained: nothing for an anonymous complaint."""
    if complaint.anonymous or not show_reporter:
        return {"name": None, "contact": None, "registration_number": None}
    return {
        "name": complaint.reporter_name or None,
        "contact": complaint.contact_phone or None,
        "registration_number": complaint.request.registration_number
        if complaint.request_id
        else None,
    }


def overdue_filter(today: datetime.date):
    return Q(status="received", due_date__lt=today)
