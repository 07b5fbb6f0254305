"""The daily activity log and the monthly report, approved by whoever acts for the
employee's superior position that day (a PLT in force replaces the definitive holder)."""

import pytest

from attendance.models import MonthlyReport
from tests import factories
from tests.attendance.conftest import DAY, client_for

pytestmark = pytest.mark.django_db


def entry(client, date, start="08:00", end="10:30", **extra):
    payload = {
        "date": date.isoformat(),
        "start": start,
        "end": end,
        "activity": "Verifikasi data EMIS madrasah",
        **extra,
    }
    return client.post("/api/v1/daily-log/", payload, format="json")


def test_an_entry_is_written_and_listed_for_the_month(org):
    client = client_for(org.staff.user)
    response = entry(
        client,
        org.today,
        quantity="12",
        unit="dokumen",
        evidence_url="https://drive.example.go.id/bukti/1",
    )
    assert response.status_code == 201, response.content
    assert response.json()["quantity"] == "12.00"
    listed = client.get(f"/api/v1/daily-log/?month={org.today:%Y-%m}").json()
    assert listed["count"] == 1
    assert listed["results"][0]["activity"] == "Verifikasi data EMIS madrasah"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"end": "07:00"}, "end"),
        ({"date": "2026-02-30"}, "date"),
        ({"quantity": "-1"}, "quantity"),
        ({"evidence_url": "javascript:alert(1)"}, "evidence_url"),
    ],
)
def test_bad_entries_are_refused_by_name(org, payload, field):
    client = client_for(org.staff.user)
    body = {
        "date": org.today.isoformat(),
        "start": "08:00",
        "end": "09:00",
        "activity": "Rapat",
        **payload,
    }
    response = client.post("/api/v1/daily-log/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_future_day_is_refused(org):
    response = entry(client_for(org.staff.user), org.today + DAY)
    assert response.status_code == 400 and "date" in response.json()


def test_the_superior_sees_the_team_log_a_peer_does_not(org):
    entry(client_for(org.staff.user), org.today)
    url = f"/api/v1/daily-log/?month={org.today:%Y-%m}&employee={org.staff.nip}"
    assert client_for(org.head.user).get(url).json()["count"] == 1
    assert client_for(org.hr).get(url).json()["count"] == 1
    assert client_for(org.peer.user).get(url).status_code == 404


def _submit(org):
    entry(client_for(org.staff.user), org.today)
    response = client_for(org.staff.user).post(
        "/api/v1/daily-log/reports/", {"month": f"{org.today:%Y-%m}"}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_monthly_report_counts_days_and_hours_and_the_superior_approves(org):
    report = _submit(org)
    assert report["status"] == "submitted"
    assert report["total_days"] == 1 and report["total_hours"] == 2.5
    to_review = client_for(org.head.user).get("/api/v1/daily-log/reports/?scope=to_review")
    assert [r["id"] for r in to_review.json()["results"]] == [report["id"]]
    url = f"/api/v1/daily-log/reports/{report['id']}/approve/"
    assert client_for(org.peer.user).post(url).status_code == 404
    assert client_for(org.staff.user).post(url).status_code == 403
    approved = client_for(org.head.user).post(url, {"note": "Baik"}, format="json")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_as"] == "Kepala Seksi Pendidikan Madrasah"
    # A submitted month is closed for new entries.
    assert (
        entry(client_for(org.staff.user), org.today, start="13:00", end="14:00").status_code == 409
    )


def test_while_a_plt_is_in_force_the_plt_approves_and_the_holder_is_refused(org):
    plt = factories.EmployeeFactory(name="Rina Marlina", user__username="rina")
    factories.ActingAssignmentFactory(
        employee=plt,
        position=org.head_position,
        kind="plt",
        start_date=org.today - DAY,
        end_date=org.today + 30 * DAY,
    )
    report = _submit(org)
    url = f"/api/v1/daily-log/reports/{report['id']}/approve/"
    holder = client_for(org.head.user).post(url)
    assert holder.status_code in (403, 404)
    assert MonthlyReport.objects.get().status == "submitted"
    done = client_for(plt.user).post(url)
    assert done.status_code == 200
    assert done.json()["decided_as"] == "Plt. Kepala Seksi Pendidikan Madrasah"


def test_an_expired_plt_may_not_approve(org):
    plt = factories.EmployeeFactory(user__username="rina")
    factories.ActingAssignmentFactory(
        employee=plt,
        position=org.head_position,
        start_date=org.today - 30 * DAY,
        end_date=org.today - DAY,
    )
    report = _submit(org)
    url = f"/api/v1/daily-log/reports/{report['id']}/approve/"
    assert client_for(plt.user).post(url).status_code == 404
    assert client_for(org.head.user).post(url).status_code == 200


def test_returning_needs_a_note_and_the_employee_submits_again(org):
    report = _submit(org)
    url = f"/api/v1/daily-log/reports/{report['id']}/return/"
    assert client_for(org.head.user).post(url).status_code == 400
    returned = client_for(org.head.user).post(url, {"note": "Lengkapi bukti"}, format="json")
    assert returned.json()["status"] == "returned"
    assert (
        entry(client_for(org.staff.user), org.today, start="13:00", end="14:00").status_code == 201
    )
    again = client_for(org.staff.user).post(
        "/api/v1/daily-log/reports/", {"month": f"{org.today:%Y-%m}"}, format="json"
    )
    assert again.status_code == 201
    assert again.json()["status"] == "submitted" and again.json()["total_hours"] == 3.5
    twice = client_for(org.staff.user).post(
        "/api/v1/daily-log/reports/", {"month": f"{org.today:%Y-%m}"}, format="json"
    )
    assert twice.status_code == 409
