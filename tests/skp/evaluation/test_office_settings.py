"""The office's choices for a year (DOMAIN.md 2.1 and 5), chosen on /staf/skp/pengaturan/
by the office's administrator (or its allowance administrators), and honoured: the SKP's
evaluation periods and the Laporan Predikat Kinerja follow the granularity, the
payment-period locks follow the allowance cadence."""

import pytest
from django.test import Client

from skp.models_evaluation import OfficePerformanceSetting
from skp.models_lock import PeriodLock
from skp.selectors_evaluation import office_setting
from tests import factories
from tests.skp.conftest import YEAR
from tests.skp.evaluation.conftest import evidence, plan

pytestmark = pytest.mark.django_db
URL = "/staf/skp/pengaturan/"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def office_admin(org):
    """The office's administrator (role `admin`, as `admin_kjb` of the demo)."""
    user = factories.UserFactory(username="admin_kantor")
    factories.StaffMembershipFactory(user=user, unit=org.unit, role="admin")
    return user


def choose(client, office, granularity="quarterly", cadence="monthly", year=YEAR, **extra):
    body = {"office": office.code, "year": year, "granularity": granularity, **extra}
    return client.post(URL, {**body, "payment_cadence": cadence}, follow=True)


def test_the_office_admin_chooses_periods_and_cadence_per_year(org, office_admin, hr):
    office = org.unit.office
    page = browser(office_admin)
    form = page.get(URL)
    assert form.status_code == 200 and office.name in form.text
    assert form.text.count('name="granularity"') == 3 and 'value="quarterly" checked' in form.text
    assert form.text.count('name="realisation_source"') == 2  # the daily-log setting too
    response = choose(page, office, "semester", "quarterly", realisation_source="daily_log")
    assert "Pengaturan untuk" in response.text  # the success message, in Indonesian
    setting = OfficePerformanceSetting.objects.get(office=office, year=YEAR)
    assert (setting.granularity, setting.payment_cadence) == ("semester", "quarterly")
    assert setting.realisation_source == "daily_log"
    assert setting.changed_by == office_admin
    periods = page.get(f"{URL}?office={office.code}&year={YEAR}").text.split('id="periods"')[1]
    assert periods.count("<li>") == 3 and f"{YEAR}-S1" in periods and f"{YEAR}-S2" in periods
    # Another year is its own choice; the allowance administrator may choose too.
    choose(browser(hr_user(office)), office, "monthly", "monthly", YEAR + 1)
    assert OfficePerformanceSetting.objects.get(office=office, year=YEAR + 1).granularity == (
        "monthly"
    )
    assert OfficePerformanceSetting.objects.get(office=office, year=YEAR).granularity == (
        "semester"
    )
    bad = choose(page, office, "weekly", "daily")
    assert "Pilih bulanan, triwulanan, atau semesteran." in bad.text
    assert OfficePerformanceSetting.objects.get(office=office, year=YEAR).granularity == (
        "semester"
    )


def hr_user(office):
    from skp.models_lock import AllowanceAdmin

    return AllowanceAdmin.objects.get(office=office).user


def test_nobody_else_chooses(org, office_admin):
    office = org.unit.office
    for user in (org.owner.user, org.head.user):
        assert browser(user).get(URL).status_code == 403
        assert choose(browser(user), office, "monthly").status_code == 403
    elsewhere = factories.UserFactory(username="admin_lain")
    factories.StaffMembershipFactory(user=elsewhere, role="admin")  # another office
    assert choose(browser(elsewhere), office, "monthly").status_code == 403
    staff = factories.UserFactory(username="petugas")
    factories.StaffMembershipFactory(user=staff, unit=org.unit, role="staff")
    assert browser(staff).get(URL).status_code == 403
    assert not OfficePerformanceSetting.objects.exists()


def test_the_periods_freeze_once_an_evaluation_was_submitted(org, approved, owner, office_admin):
    office = org.unit.office
    ra = plan(owner, approved, 2)
    evidence(owner, approved.id, ra)
    assert owner.post(f"/api/v1/skp/{approved.id}/evaluations/{YEAR}-Q1/submit/").status_code == 200
    page = browser(office_admin)
    form = page.get(URL).text
    assert 'value="monthly" disabled' in form and "tidak dapat diubah lagi" in form
    refused = choose(page, office, "monthly", "quarterly")
    assert "Periode evaluasi tahun" in refused.text and "tidak dapat diubah lagi" in refused.text
    setting = office_setting(office_id=office.pk, year=YEAR)  # still the defaults
    assert setting.granularity == "quarterly" and setting.payment_cadence == "monthly"
    # The cadence alone may still change; so may next year's periods.
    choose(page, office, "quarterly", "quarterly")
    assert OfficePerformanceSetting.objects.get(office=office, year=YEAR).payment_cadence == (
        "quarterly"
    )
    choose(page, office, "monthly", "monthly", YEAR + 1)
    assert OfficePerformanceSetting.objects.get(office=office, year=YEAR + 1).granularity == (
        "monthly"
    )
    # A return (back to open, with history) keeps them frozen.
    penilai = browser(org.head.user)
    penilai.post(f"/staf/skp/{approved.id}/evaluasi/{YEAR}-Q1/return/", {"note": "Lengkapi"})
    assert "tidak dapat diubah lagi" in choose(page, office, "semester").text


PERIODS = {
    "monthly": [f"{YEAR}-{m:02d}" for m in range(1, 13)],
    "quarterly": [f"{YEAR}-Q{q}" for q in range(1, 5)],
    "semester": [f"{YEAR}-S1", f"{YEAR}-S2"],
}


@pytest.mark.parametrize("granularity", ["monthly", "quarterly", "semester"])
def test_evaluations_and_the_predikat_report_follow_the_granularity(
    org, approved, owner, office_admin, granularity
):
    office, unit = org.unit.office, org.unit
    choose(browser(office_admin), office, granularity)
    expected = [*PERIODS[granularity], f"{YEAR}"]
    listed = owner.get(f"/api/v1/skp/{approved.id}/evaluations/").json()["results"]
    assert [e["period"] for e in listed] == expected
    head = browser(org.head.user)  # leads the unit: sees its report
    root = browser(factories.UserFactory(username="root", is_superuser=True))
    unit_code = f"{office.code}.{unit.code}"
    page = root.get(f"/staf/skp/predikat/?unit={unit_code}&year={YEAR}")
    select = page.text.split('id="period"')[1].split("</select>")[0]
    assert [c.split('"')[0] for c in select.split('value="')[1:]] == expected
    first = PERIODS[granularity][0]
    shown = root.get(f"/staf/skp/predikat/?unit={unit_code}&period={first}")
    assert shown.status_code == 200 and 'id="report-title"' in shown.text
    other = next(p[0] for g, p in PERIODS.items() if g != granularity)
    wrong = root.get(f"/staf/skp/predikat/?unit={unit_code}&period={other}")
    assert wrong.status_code == 400 and "bukan periode evaluasi" in wrong.text
    api = head.get("/api/v1/predikat-report/", {"unit": unit_code, "period": first})
    assert api.status_code == 200, api.content
    api = head.get("/api/v1/predikat-report/", {"unit": unit_code, "period": other})
    assert api.status_code == 400 and first in str(api.json())
    # Evidence of a month is rated in the office's period covering it.
    ra = plan(owner, approved, 2)
    evidence(owner, approved.id, ra)
    covering = next(
        p for p in PERIODS[granularity] if p in (f"{YEAR}-02", f"{YEAR}-Q1", f"{YEAR}-S1")
    )
    assert owner.post(f"/api/v1/skp/{approved.id}/evaluations/{other}/submit/").status_code == 400
    response = owner.post(f"/api/v1/skp/{approved.id}/evaluations/{covering}/submit/")
    assert response.status_code == 200, response.json()


def test_a_monthly_payer_locks_months_only(org, approved, hr):
    office = org.unit.office
    page = browser(hr_user(office))
    form = page.get("/staf/skp/kunci/").text
    assert 'id="quarter"' not in form and 'id="month"' in form and "bulanan" in form
    refused = page.post(
        "/staf/skp/kunci/", {"office": office.code, "year": YEAR, "quarter": 1}, follow=True
    )
    assert "membayar tunjangannya bulanan" in refused.text and not PeriodLock.objects.exists()
    api = hr.post(
        "/api/v1/period-locks/", {"office": office.code, "year": YEAR, "quarter": 1}, format="json"
    )
    assert api.status_code == 400 and "bulanan" in api.json()["quarter"][0]
    page.post("/staf/skp/kunci/", {"office": office.code, "year": YEAR, "month": 2})
    assert list(PeriodLock.objects.values_list("month", "status")) == [(2, "locked")]


def test_a_quarterly_payer_locks_a_quarters_three_months(org, approved, hr, office_admin):
    office = org.unit.office
    choose(browser(office_admin), office, "quarterly", "quarterly")
    page = browser(hr_user(office))
    form = page.get("/staf/skp/kunci/").text
    assert 'id="quarter"' in form and "Triwulan II" in form and "per triwulan" in form
    page.post("/staf/skp/kunci/", {"office": office.code, "year": YEAR, "quarter": 2})
    locked = PeriodLock.objects.filter(status="locked").values_list("month", flat=True)
    assert sorted(locked) == [4, 5, 6]
    page.post("/staf/skp/kunci/", {"office": office.code, "year": YEAR, "month": 9})
    assert sorted(PeriodLock.objects.values_list("month", flat=True)) == [4, 5, 6, 9]
    # Next year, not chosen yet, pays monthly by default.
    assert 'id="quarter"' not in page.get(f"/staf/skp/kunci/?year={YEAR + 1}").text
