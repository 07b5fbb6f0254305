"""Deadlines: working days (weekends and Indonesian national holidays, `holidays` "ID",
skipped) and the moment a deadline has passed."""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=32)
def _holidays_of(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("ID", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (`start` itself does not count).

    A request received on a Friday with one working day is due on Monday (or later when
    Monday is a national holiday).
    """
    day = start
    remaining = max(days, 0)
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def correction_due_date(returned_on: datetime.date, days: int) -> datetime.date:
    """The last day a returned request may be corrected: `days` calendar days after the
    return (the service standard's `correction_days`)."""
    return returned_on + datetime.timedelta(days=days)


def passed_from(day: datetime.date) -> datetime.datetime:
    """The moment a deadline ending on `day` has passed: the start of the next day in the
    office's time zone (a task due today is overdue from tomorrow)."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
