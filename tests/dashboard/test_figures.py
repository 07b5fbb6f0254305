"""Each dashboard figure against the November data counted by hand (conftest.november)."""

import datetime
from decimal import Decimal

import pytest

from dashboard import selectors
from dashboard.scope import Scope
from tests.dashboard.conftest import TODAY

NOVEMBER = selectors.Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
pytestmark = pytest.mark.django_db


@pytest.fixture
def whole(office, november):
    return Scope(office=office)


@pytest.fixture
def phu(office, units, november):
    return Scope(office=office, unit=units["phu"])


def test_totals_received_by_channel_and_finished_against_the_due_date(whole):
    totals = selectors.request_totals(whole, NOVEMBER)
    # received: r1 r2 r3 r5 r8 edge_in (23:30 WIB on the 30th); not edge_out (1 Dec 00:30)
    # finished: r1 and r4 on time, r2 late, r8 late (05:00 WIB the day after its due day),
    # r5 rejected; r6 finished in October
    assert totals == {
        "received": 6,
        "online": 5,
        "counter": 1,
        "on_time": 2,
        "late": 2,
        "rejected": 1,
        "cancelled": 0,
        "completed": 4,
        "on_time_rate": 50.0,
        "counter_rate": 16.7,
    }


def test_requests_per_week_from_monday_with_empty_weeks(whole):
    weekly = selectors.requests_per_week(whole, NOVEMBER)
    assert [(w["week"].isoformat(), w["count"]) for w in weekly] == [
        ("2026-10-26", 0),
        ("2026-11-02", 2),
        ("2026-11-09", 2),
        ("2026-11-16", 1),
        ("2026-11-23", 0),
        ("2026-11-30", 1),
    ]


def test_requests_per_service(whole):
    rows = selectors.requests_per_service(whole, NOVEMBER)
    assert [(r["service"], r["received"], r["on_time"], r["late"]) for r in rows] == [
        ("Legalisir ijazah", 3, 1, 1),
        ("Rekomendasi paspor", 3, 1, 1),
    ]
    assert [r["standard_days"] for r in rows] == [3, 5]


def test_open_and_overdue_now_per_unit_and_per_step(whole):
    assert selectors.open_per_unit(whole, TODAY) == [
        {"unit": "PTSP", "open": 2, "overdue": 1},  # r3 past its due day
        {"unit": "Seksi PHU", "open": 1, "overdue": 1},  # r7 flagged by the flow's timer
    ]
    steps = selectors.open_per_step(whole, TODAY)
    assert [(s["service"], s["step"], s["unit"], s["open"], s["overdue"]) for s in steps] == [
        ("Legalisir ijazah", "1. Verifikasi", "PTSP", 2, 1),
        ("Rekomendasi paspor", "2. Pemeriksaan", "Seksi PHU", 1, 1),
    ]


def test_median_time_per_step_is_the_exact_median(whole):
    rows = selectors.median_per_step(whole, NOVEMBER)
    assert [(r["step"], r["tasks"], r["median"], r["median_hours"]) for r in rows] == [
        ("1. Verifikasi", 3, datetime.timedelta(hours=4), 4.0),  # 2 h, 4 h, 10 h
        ("2. Pemeriksaan", 2, datetime.timedelta(hours=2), 2.0),  # 1 h, 3 h: interpolated
    ]


def test_whatsapp_delivery_success_of_applicants_messages(whole):
    assert selectors.whatsapp_delivery(whole, NOVEMBER) == {
        "total": 6,
        "delivered": 2,  # delivered and read
        "read": 1,
        "failed": 2,  # failed and undelivered
        "pending": 2,  # queued and sent
        "success_rate": 50.0,
    }


def test_complaints_answered_within_the_standard(whole):
    assert selectors.complaints_summary(whole, NOVEMBER, TODAY) == {
        "received": 4,
        "answered_on_time": 1,
        "answered_late": 1,
        "answered": 2,
        "open": 2,
        "open_overdue": 1,
        "open_in_time": 1,
        "on_time_rate": 50.0,
    }


def test_ikm_of_the_period_from_the_survey(whole):
    ikm = selectors.ikm(whole, NOVEMBER)
    # two responses, all 4s and all 3s: every NRR 3.5, IKM 3.5 x 25 = 87.50 (B, Baik)
    assert ikm["summary"]["respondents"] == 2
    assert ikm["summary"]["ikm"] == Decimal("87.50")
    assert (ikm["summary"]["mutu"], ikm["summary"]["kinerja"]) == ("B", "Baik")
    trend = {row["period"]: (row["ikm"], row["respondents"]) for row in ikm["trend"]}
    assert trend["2026-Q4"] == (Decimal("66.67"), 3)  # with October's all-1s response
    assert [(r["service"], r["ikm"]) for r in ikm["by_service"]] == [
        ("Rekomendasi paspor", Decimal("87.50"))
    ]


def test_a_unit_sees_its_services_and_its_steps_only(phu):
    totals = selectors.request_totals(phu, NOVEMBER)
    assert (totals["received"], totals["on_time"], totals["late"], totals["rejected"]) == (
        3,
        1,
        1,
        1,
    )
    assert selectors.open_per_unit(phu, TODAY) == [{"unit": "Seksi PHU", "open": 1, "overdue": 1}]
    assert [r["step"] for r in selectors.median_per_step(phu, NOVEMBER)] == ["2. Pemeriksaan"]
    assert selectors.whatsapp_delivery(phu, NOVEMBER)["total"] == 6  # r1 is a paspor request
    assert selectors.ikm(phu, NOVEMBER)["summary"]["respondents"] == 2


def test_another_office_sees_none_of_it(november):
    from tests import factories

    other = Scope(office=factories.OfficeFactory(code="MJB"))
    assert selectors.request_totals(other, NOVEMBER)["received"] == 0
    assert selectors.open_per_unit(other, TODAY) == []
    assert selectors.complaints_summary(other, NOVEMBER, TODAY)["received"] == 0
    assert selectors.ikm(other, NOVEMBER)["summary"]["respondents"] == 0
