"""The monthly recap, live from the records, for a crafted month (February 2026:
Imlek on Tuesday 17th, a collective leave day on Monday 16th, 18 working days)."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance import selectors
from attendance.models import Absence, AttendanceRecord, CollectiveLeaveDay, WorkCalendar
from organization.models import PositionHolding
from tests import factories
from tests.attendance.conftest import client_for

pytestmark = pytest.mark.django_db
JKT = zoneinfo.ZoneInfo("Asia/Jakarta")
AFTER = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=JKT)


def record(employee, day, hhmm, kind="in", status="accepted"):
    hour, minute = map(int, hhmm.split(":"))
    at = datetime.datetime(2026, 2, day, hour, minute, tzinfo=JKT)
    return AttendanceRecord.objects.create(
        employee=employee,
        kind=kind,
        at=at,
        date=at.date(),
        latitude=0,
        longitude=0,
        accuracy_m=10,
        within_geofence=True,
        face_match=True,
        photo_sha256=f"{day}{hhmm}{kind}",
        status=status,
    )


@pytest.fixture
def february(org):
    PositionHolding.objects.update(start_date=datetime.date(2020, 1, 1))
    WorkCalendar.objects.create(office=org.office, late_after_minutes=10)
    CollectiveLeaveDay.objects.create(date=datetime.date(2026, 2, 16), name="Imlek")
    s = org.staff
    record(s, 2, "07:20"), record(s, 2, "16:05", "out")  # present
    record(s, 3, "07:45"), record(s, 3, "16:10", "out")  # late (07:30 + 10 min)
    record(s, 4, "07:25"), record(s, 4, "15:00", "out")  # early
    record(s, 5, "07:25")  # never checked out: early
    record(s, 6, "07:20"), record(s, 6, "16:35", "out")  # Friday ends 16:30: present
    record(s, 9, "07:20", status="flagged"), record(s, 9, "16:05", "out")  # flagged
    record(s, 10, "07:20", status="rejected")  # rejected by the superior: absent
    record(s, 18, "07:38"), record(s, 18, "16:00", "out")  # within the tolerance: present
    Absence.objects.create(
        employee=s,
        kind="cuti_tahunan",
        start_date=datetime.date(2026, 2, 11),
        end_date=datetime.date(2026, 2, 13),
        reference="KJB-2026-00001-X",
    )
    return org


def test_the_counts_of_a_crafted_month(february):
    [month] = selectors.month_recap(employees=[february.staff], year=2026, month=2, now=AFTER)
    assert month.counts == {
        "present": 3,
        "late": 1,
        "early": 2,
        "absent": 8,
        "leave": 3,
        "flagged": 1,
        "working_days": 18,
    }
    by_day = {d.date.day: d for d in month.days}
    assert by_day[16].status == "off" and "Imlek" in by_day[16].off_reason
    assert by_day[17].status == "off"
    assert by_day[7].status == "off"  # Saturday
    assert by_day[9].status == "flagged"
    assert by_day[10].status == "absent"
    assert by_day[5].early and by_day[5].check_out is None


def test_days_to_come_have_no_status_and_today_is_absent_only_after_hours(february):
    noon = datetime.datetime(2026, 2, 19, 12, 0, tzinfo=JKT)
    [month] = selectors.month_recap(employees=[february.staff], year=2026, month=2, now=noon)
    by_day = {d.date.day: d for d in month.days}
    assert by_day[19].status is None
    assert by_day[20].status is None
    evening = noon.replace(hour=17)
    [month] = selectors.month_recap(employees=[february.staff], year=2026, month=2, now=evening)
    assert {d.date.day: d for d in month.days}[19].status == "absent"


def test_the_unit_recap_takes_the_same_queries_for_one_or_many(february):
    def queries(employees):
        with CaptureQueriesContext(connection) as ctx:
            selectors.month_recap(employees=employees, year=2026, month=2, now=AFTER)
        return len(ctx.captured_queries)

    one = queries([february.staff])
    for _ in range(5):
        e = factories.EmployeeFactory()
        factories.PositionHoldingFactory(
            employee=e, position=february.staff_position, start_date=datetime.date(2020, 1, 1)
        )
        record(e, 2, "07:00")
    many = queries([h.employee for h in PositionHolding.objects.select_related("employee")])
    assert one == many


def test_the_api_shows_my_days_and_the_team_to_the_superior_and_hr(february):
    mine = client_for(february.staff.user).get("/api/v1/attendance/?month=2026-02")
    assert mine.status_code == 200
    day2 = mine.json()["days"][1]
    assert day2["date"] == "2026-02-02" and day2["status"] == "present"
    assert day2["in"].startswith("2026-02-02T07:20")
    head = client_for(february.head.user).get("/api/v1/attendance/?month=2026-02&unit=pendma")
    assert head.status_code == 200
    names = [e["employee"]["name"] for e in head.json()["employees"]]
    assert names == ["Budi Santoso", "Siti Rahmawati"]
    hr = client_for(february.hr).get("/api/v1/attendance/?month=2026-02&unit=pendma&office=KJB")
    assert [e["employee"]["name"] for e in hr.json()["employees"]] == [
        "Ahmad Fauzi",
        "Budi Santoso",
        "Siti Rahmawati",
    ]
    peer = client_for(february.peer.user).get("/api/v1/attendance/?month=2026-02&unit=pendma")
    assert peer.status_code == 404
    bad = client_for(february.staff.user).get("/api/v1/attendance/?month=2026-13")
    assert bad.status_code == 400 and "month" in bad.json()
