"""The office's working calendar: weekends, national holidays (`holidays`, "ID", the
same calendar as the workflow's deadlines), collective leave days (cuti bersama) and the
office hours that make a check-in late or a check-out early."""

import datetime
from functools import lru_cache

import holidays
from django.db.models import Q
from django.utils.translation import gettext as _

from workflow.deadlines import is_working_day

from .models import CollectiveLeaveDay, WorkCalendar

DEFAULT_CALENDAR = WorkCalendar(
    start=datetime.time(7, 30), end=datetime.time(16, 0), friday_end=datetime.time(16, 30)
)


def calendars_of(office_ids) -> dict[int, WorkCalendar]:
    """office id -> its calendar (the default where an office has none). One query."""
    found = {c.office_id: c for c in WorkCalendar.objects.filter(office_id__in=set(office_ids))}
    return {office_id: found.get(office_id, DEFAULT_CALENDAR) for office_id in office_ids}


def days_off(office_ids, start: datetime.date, end: datetime.date) -> dict:
    """office id -> {date: reason} for the non-working days between start and end
    (weekends, national holidays, collective leave). One query."""
    collective = list(
        CollectiveLeaveDay.objects.filter(date__range=(start, end)).filter(
            Q(office__isnull=True) | Q(office_id__in=set(office_ids))
        )
    )
    national = {}
    day = start
    while day <= end:
        if not is_working_day(day):
            national[day] = _holiday_names(day.year).get(day) or _("Weekend")
        day += datetime.timedelta(days=1)
    result = {}
    for office_id in office_ids:
        off = dict(national)
        for c in collective:
            if c.office_id in (None, office_id):
                off.setdefault(c.date, _("Collective leave: %(name)s") % {"name": c.name})
        result[office_id] = off
    return result


@lru_cache(maxsize=16)
def _holiday_names(year: int) -> dict:
    return dict(holidays.country_holidays("ID", years=year))


def end_of_day(calendar: WorkCalendar, day: datetime.date) -> datetime.time:
    return calendar.friday_end if day.weekday() == 4 else calendar.end


def is_late(calendar: WorkCalendar, at: datetime.datetime) -> bool:
    limit = datetime.datetime.combine(at.date(), calendar.start) + datetime.timedelta(
        minutes=calendar.late_after_minutes
    )
    return at.replace(tzinfo=None) > limit


def is_early(calendar: WorkCalendar, at: datetime.datetime) -> bool:
    limit = datetime.datetime.combine(at.date(), end_of_day(calendar, at.date()))
    limit -= datetime.timedelta(minutes=calendar.early_before_minutes)
    return at.replace(tzinfo=None) < limit
