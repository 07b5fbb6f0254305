"""A fixed 'today' for test packages whose expectations are dates relative to today
(acting assignments in force, SKP years and periods). A date taken when the module is
imported goes stale when a run crosses midnight (WIB); so these packages travel to one
instant for every test, and the clock ticks on from there (timeouts and waits still work).
A working Wednesday in the middle of a month and of a quarter."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

NOW = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
TODAY = NOW.date()
YEAR = TODAY.year
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fixed_today():
    with time_machine.travel(NOW, tick=True):
        yield
