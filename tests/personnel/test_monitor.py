"""The consistency monitor (page and API): every issue class shown, the summary per
office and unit, the "solve problem" actions with their history, HR only."""

import datetime

import pytest
from django.test import Client

from organization.models import Employee
from personnel.models import ConsistencyIssue, IssueClass
from tests import factories
from tests.personnel.conftest import bkn_people
from tests.personnel.siasn_files import export_csv
from tests.personnel.test_import import run_import
from tests.skp.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path, office):
    run_import(tmp_path, export_csv(bkn_people(office)))
    return office


def _issue(issue_class, nip, field=""):
    return ConsistencyIssue.objects.get(issue_class=issue_class, nip=nip, field=field)


def test_the_monitor_page_shows_every_class_and_the_summary(imported, hr_user):
    client = Client()
    client.force_login(hr_user)
    page = client.get("/staf/kepegawaian/konsistensi/")
    assert page.status_code == 200
    html = page.content.decode()
    for issue_class in IssueClass.values:
        assert f'data-issue-class="{issue_class}"' in html, issue_class
    assert "Kantor Kemenag Kota Jambi" in html
    assert "III/c (33)" in html  # BKN's value beside Alur's
    only = client.get("/staf/kepegawaian/konsistensi/?class=MISSING_LOCAL").content.decode()
    assert 'data-issue-class="MISSING_LOCAL"' in only
    assert 'data-issue-class="FIELD_MISMATCH"' not in only


def test_the_api_lists_issues_by_class_with_both_values(imported, hr_user):
    api = client_for(hr_user)
    body = api.get("/api/v1/personnel/consistency/?class=FIELD_MISMATCH").json()
    assert set(body) == {"count", "next", "previous", "results"}
    golongan = next(
        r
        for r in body["results"]
        if r["nip"] == imported.mismatched.nip and r["field"] == "golongan"
    )
    assert golongan["class"] == "FIELD_MISMATCH"
    assert (golongan["local_value"], golongan["bkn_value"]) == ("III/b (32)", "III/c (33)")
    assert golongan["bkn_imported_at"]
    assert golongan["office"] == "KJB" and golongan["unit"] == "pendma"
    assert golongan["actions"] == ["accept-bkn", "keep-local"]
    everything = api.get("/api/v1/personnel/consistency/?page_size=100").json()["results"]
    assert {r["class"] for r in everything} == set(IssueClass.values)
    assert api.get("/api/v1/personnel/consistency/?class=NOPE").status_code == 400


def test_summary_per_office_and_unit(imported, hr_user):
    summary = client_for(hr_user).get("/api/v1/personnel/consistency/summary/").json()
    assert summary["last_import"]["file"] == "export.csv"
    # Four definitive holders; three have an open issue (mismatch, local only, on leave).
    assert (summary["employees"], summary["with_issues"]) == (4, 3)
    assert summary["consistent_percent"] == 25.0
    (kjb,) = summary["offices"]
    units = {u["code"]: u for u in kjb["units"]}
    assert units["phu"]["employees"] == 2
    assert units["phu"]["consistent_percent"] == 50.0
    assert units["phu"]["counts"]["MISSING_LOCAL"] == 1
    assert units["pendma"]["consistent_percent"] == 0.0


def test_accept_bkn_value_overwrites_the_field_with_history(imported, hr_user):
    api = client_for(hr_user)
    issue = _issue(IssueClass.FIELD_MISMATCH, imported.mismatched.nip, "golongan")
    response = api.post(f"/api/v1/personnel/consistency/{issue.pk}/accept-bkn/", {"note": "SK"})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "resolved"
    assert Employee.objects.get(pk=imported.mismatched.pk).golongan == "33"
    history = api.get(f"/api/v1/personnel/consistency/{issue.pk}/history/").json()
    assert [h["action"] for h in history] == ["detected", "accepted_bkn", "resolved"]
    assert history[1]["actor"] == "hr" and history[1]["note"] == "SK"
    again = api.post(f"/api/v1/personnel/consistency/{issue.pk}/accept-bkn/")
    assert again.status_code == 409


def test_accept_bkn_for_the_position_itself_is_refused(imported, hr_user):
    factories.PositionHoldingFactory(
        employee=imported.local_only, position=imported.clerk, start_date=datetime.date(2022, 1, 1)
    )
    issue = _issue(IssueClass.FIELD_MISMATCH, imported.on_leave.nip, "kedudukan")
    response = client_for(hr_user).post(f"/api/v1/personnel/consistency/{issue.pk}/accept-bkn/")
    assert response.status_code == 200
    # Now inactive locally too, still holding the head position: flagged, and acts for nobody.
    inactive = _issue(IssueClass.INACTIVE_BUT_HOLDING, imported.on_leave.nip)
    assert inactive.status == "open"
    assert inactive.bkn_value == "CLTN"


def test_keep_local_needs_a_note_and_is_recorded(imported, hr_user):
    api = client_for(hr_user)
    issue = _issue(IssueClass.MISSING_BKN, imported.local_only.nip)
    assert api.post(f"/api/v1/personnel/consistency/{issue.pk}/keep-local/").status_code == 400
    response = api.post(
        f"/api/v1/personnel/consistency/{issue.pk}/keep-local/",
        {"note": "CPNS baru, belum ada di SIASN"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "acknowledged"
    assert response.json()["note"] == "CPNS baru, belum ada di SIASN"
    open_ones = api.get("/api/v1/personnel/consistency/?class=MISSING_BKN").json()
    assert open_ones["count"] == 0


def test_create_employee_from_the_bkn_row(imported, hr_user):
    nip = factories.make_nip(5)
    issue = _issue(IssueClass.MISSING_LOCAL, nip)
    client = Client()
    client.force_login(hr_user)
    response = client.post(
        f"/staf/kepegawaian/konsistensi/{issue.pk}/create-employee/",
        {"next": "/staf/kepegawaian/konsistensi/"},
    )
    assert response.status_code == 302
    employee = Employee.objects.get(nip=nip)
    assert (employee.name, employee.golongan, employee.kedudukan) == ("Dewi Lestari", "32", "01")
    issue.refresh_from_db()
    assert issue.status == "resolved"
    assert list(issue.actions.values_list("kind", flat=True)) == [
        "detected",
        "employee_created",
        "resolved",
    ]
    page = client.get(f"/staf/kepegawaian/konsistensi/{issue.pk}/").content.decode()
    assert "Employee created from BKN data" in page or "Pegawai dibuat" in page


def test_only_hr_sees_the_monitor(imported):
    staff = factories.UserFactory()
    assert client_for(staff).get("/api/v1/personnel/consistency/").status_code == 403
    assert Client().get("/api/v1/personnel/consistency/").status_code == 401
    client = Client()
    client.force_login(staff)
    assert client.get("/staf/kepegawaian/konsistensi/").status_code == 403
    anonymous = Client().get("/staf/kepegawaian/konsistensi/")
    assert anonymous.status_code == 302 and "/staf/masuk/" in anonymous["Location"]


def test_the_list_runs_in_a_constant_number_of_queries(
    imported, hr_user, django_assert_max_num_queries
):
    api = client_for(hr_user)
    with django_assert_max_num_queries(8):
        assert api.get("/api/v1/personnel/consistency/?status=all").status_code == 200


def test_an_offices_hr_sees_only_its_office(imported, hr_user):
    """HR with an office of their own (role `hr`, like the demo hr_kjb) reads that office's
    issues only: page, API list, detail and summary; HR without one (regional) reads all."""
    from organization.models import StaffMembership

    other = factories.OfficeFactory(code="MRO", name="Kantor Kemenag Muaro Jambi")
    elsewhere = ConsistencyIssue.objects.filter(office=imported.office).first()
    elsewhere.pk = None
    elsewhere.office, elsewhere.unit = other, None
    elsewhere.nip = factories.make_nip(99)
    elsewhere.save()
    everything = ConsistencyIssue.objects.filter(status=ConsistencyIssue.Status.OPEN).count()
    assert client_for(hr_user).get("/api/v1/personnel/consistency/").json()["count"] == everything

    other_hr = factories.UserFactory(username="hr_mro")
    other_hr.groups.add(hr_user.groups.first())
    StaffMembership.objects.create(
        user=other_hr, unit=factories.UnitFactory(office=other, code="tu"), role="hr"
    )
    api = client_for(other_hr)
    listed = api.get("/api/v1/personnel/consistency/").json()
    assert [i["id"] for i in listed["results"]] == [elsewhere.pk]
    own_office = ConsistencyIssue.objects.filter(office=imported.office).first()
    assert api.get(f"/api/v1/personnel/consistency/{own_office.pk}/history/").status_code == 404
    assert [
        o["code"] for o in api.get("/api/v1/personnel/consistency/summary/").json()["offices"]
    ] == ["MRO"]
    page = Client()
    page.force_login(other_hr)
    assert page.get(f"/staf/kepegawaian/konsistensi/{own_office.pk}/").status_code == 404
