"""Read-side questions: where an employee may check in, who oversees whom, the monthly
recap (live, computed from the records: no batch job)."""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from organization.models import Employee, PositionHolding, Unit
from organization.selectors import (
    Official,
    hr_office_ids,
    official_for_position,
    positions_acted_for,
)
from skp.selectors import employee_for_user

from . import workdays
from .models import Absence, AttendanceRecord, DailyLogEntry, FaceEnrolment, WorkLocation

__all__ = ["employee_for_user"]


def holding_of(employee: Employee, on: datetime.date) -> PositionHolding | None:
    """The definitive position `employee` holds on `on` (the latest started)."""
    return (
        PositionHolding.objects.select_related("position__unit__office", "position__superior")
        .filter(employee=employee, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("-start_date", "-id")
        .first()
    )


def office_of(employee: Employee, on: datetime.date):
    holding = holding_of(employee, on)
    return holding.position.unit.office if holding else None


def superior_official(employee: Employee, on: datetime.date) -> Official | None:
    """Whoever acts on `on` for the superior of the employee's position: the PLT/PLH in
    force, else the definitive holder (organization's rule, not repeated here)."""
    holding = holding_of(employee, on)
    if holding is None or holding.position.superior is None:
        return None
    return official_for_position(position=holding.position.superior, on=on)


def locations_for(employee: Employee, on: datetime.date) -> list[WorkLocation]:
    """The employee's office geofences and the WFH locations allowed on `on`."""
    office = office_of(employee, on)
    return list(
        WorkLocation.objects.filter(
            Q(kind=WorkLocation.Kind.OFFICE, office=office)
            | Q(
                kind=WorkLocation.Kind.WFH,
                employee=employee,
                valid_from__lte=on,
                valid_until__gte=on,
            )
        )
    )


def enrolment_of(employee: Employee) -> FaceEnrolment | None:
    return FaceEnrolment.objects.filter(employee=employee).first()


# --- who oversees whom --------------------------------------------------------------------


def may_oversee(*, user, employee: Employee, on: datetime.date) -> bool:
    """The employee's superior of the day (PLT/PLH rule) and HR of their office see the
    employee's attendance, photos and daily log."""
    me = employee_for_user(user)
    if me is None and not hr_office_ids(user):
        return False
    holding = holding_of(employee, on)
    if holding is None:
        return False
    if holding.position.unit.office_id in hr_office_ids(user):
        return True
    official = superior_official(employee, on)
    return bool(me and official and official.employee.pk == me.pk and me.pk != employee.pk)


def units_overseen(*, user, on: datetime.date) -> list[Unit]:
    """Units whose recap `user` may open: every unit of an office they are HR for, and
    the units of the positions reporting to a position they act for today."""
    hr = hr_office_ids(user)
    me = employee_for_user(user)
    acted = positions_acted_for(employee=me, on=on) if me else {}
    return list(
        Unit.objects.filter(Q(office_id__in=hr) | Q(positions__superior_id__in=list(acted)))
        .select_related("office")
        .distinct()
        .order_by("office__code", "name")
    )


def team_of(*, user, unit: Unit, on: datetime.date) -> list[Employee]:
    """Employees holding a position in `unit` on `on` whom `user` oversees: all of them
    for HR of the office, else those whose superior position `user` acts for today."""
    holdings = (
        PositionHolding.objects.filter(position__unit=unit, start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("employee", "position")
    )
    if unit.office_id not in hr_office_ids(user):
        me = employee_for_user(user)
        acted = positions_acted_for(employee=me, on=on) if me else {}
        holdings = holdings.filter(position__superior_id__in=list(acted)).exclude(employee=me)
    seen, team = set(), []
    for h in holdings.order_by("employee__name"):
        if h.employee_id not in seen:
            seen.add(h.employee_id)
            team.append(h.employee)
    return team


# --- the monthly recap --------------------------------------------------------------------

DAY_STATUSES = ("present", "late", "early", "absent", "leave", "flagged")


@dataclass
class Day:
    date: datetime.date
    status: str | None  # one of DAY_STATUSES, "off", or None (not yet known)
    check_in: AttendanceRecord | None = None
    check_out: AttendanceRecord | None = None
    late: bool = False
    early: bool = False
    off_reason: str = ""
    absence: Absence | None = None


@dataclass
class EmployeeMonth:
    employee: Employee
    days: list[Day]
    counts: dict = field(default_factory=dict)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, month, 1), datetime.date(
        year, month, calendar.monthrange(year, month)[1]
    )


def month_recap(
    *, employees: list[Employee], year: int, month: int, now: datetime.datetime | None = None
) -> list[EmployeeMonth]:
    """Per employee and day: check-in, check-out and the day's status. A constant number
    of queries whatever the number of employees and records.

    A day's status, strongest first: `off` (weekend, holiday, collective leave), `leave`
    (an absence covers it), `flagged` (a check-in or -out awaits the supervisor),
    `absent` (no check-in), `late` (checked in after start + tolerance), `early`
    (checked out before the end - tolerance, or never checked out), `present`. Today
    is `absent` only once the working day is over; later days have no status yet.
    """
    now = timezone.localtime(now)
    start, end = month_bounds(year, month)
    ids = [e.pk for e in employees]
    office_by_employee = {
        h.employee_id: h.position.unit.office_id
        for h in PositionHolding.objects.filter(employee_id__in=ids, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .select_related("position__unit")
        .order_by("start_date", "id")
    }
    office_ids = set(office_by_employee.values())
    calendars = workdays.calendars_of(office_ids | {None})
    off = workdays.days_off(office_ids | {None}, start, end)
    records = defaultdict(list)
    for r in AttendanceRecord.objects.filter(employee_id__in=ids, date__range=(start, end)):
        if r.status != AttendanceRecord.Status.REJECTED:
            records[(r.employee_id, r.date)].append(r)
    absences = defaultdict(list)
    for a in Absence.objects.filter(employee_id__in=ids, start_date__lte=end, end_date__gte=start):
        absences[a.employee_id].append(a)

    result = []
    for employee in employees:
        office_id = office_by_employee.get(employee.pk)
        cal, days_off = calendars[office_id], off[office_id]
        days = []
        for n in range(end.day):
            date = start + datetime.timedelta(days=n)
            days.append(
                _day(date, cal, days_off, records[(employee.pk, date)], absences[employee.pk], now)
            )
        counts = dict.fromkeys(DAY_STATUSES, 0)
        for d in days:
            if d.status in counts:
                counts[d.status] += 1
        counts["working_days"] = sum(1 for d in days if d.status not in ("off",))
        result.append(EmployeeMonth(employee=employee, days=days, counts=counts))
    return result


def _day(date, cal, days_off, records, absences, now) -> Day:
    ins = [r for r in records if r.kind == AttendanceRecord.Kind.IN]
    outs = [r for r in records if r.kind == AttendanceRecord.Kind.OUT]
    day = Day(date=date, status=None, check_in=ins[0] if ins else None)
    day.check_out = outs[-1] if outs else None
    if date in days_off:
        day.status, day.off_reason = "off", days_off[date]
        return day
    day.absence = next((a for a in absences if a.start_date <= date <= a.end_date), None)
    if day.absence:
        day.status = "leave"
        return day
    today = now.date()
    if date > today:
        return day
    over = date < today or now.time() >= workdays.end_of_day(cal, date)
    if day.check_in is None:
        day.status = "absent" if over else None
        return day
    local = timezone.localtime
    day.late = workdays.is_late(cal, local(day.check_in.at))
    if day.check_out is not None:
        day.early = workdays.is_early(cal, local(day.check_out.at))
    else:
        day.early = over
    if any(r.status == AttendanceRecord.Status.FLAGGED for r in records):
        day.status = "flagged"
    elif day.late:
        day.status = "late"
    elif day.early:
        day.status = "early"
    else:
        day.status = "present"
    return day


def flagged_records(*, employees: list[Employee], year: int, month: int):
    start, end = month_bounds(year, month)
    return (
        AttendanceRecord.objects.filter(
            employee__in=employees,
            date__range=(start, end),
            status=AttendanceRecord.Status.FLAGGED,
        )
        .select_related("employee")
        .order_by("at")
    )


def daily_log(*, employee: Employee, year: int, month: int):
    start, end = month_bounds(year, month)
    return DailyLogEntry.objects.filter(employee=employee, date__range=(start, end)).select_related(
        "rencana_aksi__rhk"
    )


def parse_month(text: str | None, *, default: datetime.date | None = None) -> tuple[int, int]:
    """ "YYYY-MM" -> (year, month); the default's month when empty; ValueError if bad."""
    if not text:
        day = default or timezone.localdate()
        return day.year, day.month
    try:
        year, month = (int(part) for part in str(text).split("-"))
    except ValueError:
        raise ValueError(text) from None
    if not (2000 <= year <= 2100 and 1 <= month <= 12) or len(str(text)) != 7:
        raise ValueError(text)
    return year, month


def unit_for(*, user, code: str, office_code: str | None, on: datetime.date) -> Unit | None:
    """The unit with `code` among those `user` oversees (an office code disambiguates)."""
    units = [u for u in units_overseen(user=user, on=on) if u.code == code]
    if office_code:
        units = [u for u in units if u.office.code == office_code.upper()]
    return units[0] if len(units) == 1 else None


def reports_to_review(*, user, on: datetime.date):
    """Submitted monthly reports of employees whose superior position `user` acts for on
    `on` (PLT/PLH rule). A constant number of queries."""
    from .models import MonthlyReport, ReportStatus

    me = employee_for_user(user)
    if me is None:
        return MonthlyReport.objects.none()
    acted = positions_acted_for(employee=me, on=on)
    held = PositionHolding.objects.filter(
        position__superior_id__in=list(acted), start_date__lte=on
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
    return (
        MonthlyReport.objects.filter(
            status=ReportStatus.SUBMITTED, employee_id__in=held.values("employee_id")
        )
        .exclude(employee=me)
        .select_related("employee")
        .order_by("submitted_at", "id")
    )


def leave_balance(*, employee: Employee, year: int) -> dict | None:
    """Annual leave of `year`: entitlement, working days taken (approved) and left."""
    from workflow.deadlines import is_working_day

    from .models import LeaveService

    leave = LeaveService.objects.filter(
        absence_kind=Absence.Kind.ANNUAL_LEAVE, annual_days__isnull=False
    ).first()
    if leave is None:
        return None
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    office = office_of(employee, timezone.localdate())
    off = workdays.days_off({office.pk if office else None}, start, end)[
        office.pk if office else None
    ]
    taken = 0
    for a in Absence.objects.filter(
        employee=employee, kind=Absence.Kind.ANNUAL_LEAVE, start_date__lte=end, end_date__gte=start
    ):
        day = max(a.start_date, start)
        while day <= min(a.end_date, end):
            taken += is_working_day(day) and day not in off
            day += datetime.timedelta(days=1)
    return {
        "year": year,
        "entitled": leave.annual_days,
        "taken": taken,
        "remaining": max(0, leave.annual_days - taken),
        "service": leave.service,
    }
