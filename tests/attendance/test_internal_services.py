"""Internal services through the workflow engine: an employee applies (the applicant is
the logged-in employee), a step goes to the applicant's superior position (whoever acts
for it that day: the PLT in force, never the holder then), an approved leave marks its
days `leave` in the recap, and an applicant step blocks the flow until delivered, with
its own deadline."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from attendance import selectors
from attendance.models import Absence, LeaveService
from tests import factories
from tests.attendance.conftest import DAY, client_for
from workflow import services
from workflow.models import RequestEvent, RequestStatus, Task
from workflow.tasks import fire_workflow_timers

pytestmark = pytest.mark.django_db


def _next_working_day(day):
    from workflow.deadlines import is_working_day

    day += DAY
    while not is_working_day(day):
        day += DAY
    return day


@pytest.fixture
def internal(org):
    org.staff.phone = "+6281234567890"
    org.staff.save()
    leave = factories.ServiceTypeFactory(
        code="cuti-tahunan", name="Cuti Tahunan", unit=org.tu, audience="employees"
    )
    factories.FormFieldFactory(service=leave, code="mulai", label="Mulai", type="date")
    factories.FormFieldFactory(service=leave, code="selesai", label="Selesai", type="date")
    factories.StepFactory(
        service=leave, order=1, name="Persetujuan atasan", unit=org.tu, route="superior"
    )
    LeaveService.objects.create(service=leave, absence_kind="cuti_tahunan", annual_days=12)
    activity = factories.ServiceTypeFactory(
        code="usulan-kegiatan", name="Usulan Kegiatan", unit=org.tu, audience="employees"
    )
    factories.FormFieldFactory(service=activity, code="kegiatan", label="Kegiatan")
    factories.StepFactory(
        service=activity, order=1, name="Persetujuan usulan", unit=org.tu, route="superior"
    )
    factories.StepFactory(
        service=activity,
        order=2,
        name="Laporan pasca kegiatan",
        unit=org.tu,
        route="applicant",
        sla_working_days=2,
    )
    factories.StepFactory(
        service=activity, order=3, name="Penilaian laporan", unit=org.tu, route="superior"
    )
    org.leave, org.activity = leave, activity
    org.first = _next_working_day(org.today)
    org.last = _next_working_day(org.first)
    return org


def apply_leave(org, user=None):
    response = client_for(user or org.staff.user).post(
        "/api/v1/requests/",
        {
            "service": "cuti-tahunan",
            "data": {"mulai": org.first.isoformat(), "selesai": org.last.isoformat()},
        },
        format="json",
    )
    return response


def test_the_employee_applies_and_the_superior_of_the_day_approves(internal):
    response = apply_leave(internal)
    assert response.status_code == 201, response.content
    number = response.json()["registration_number"]
    request = internal.leave.requests.get()
    assert request.applicant_user == internal.staff.user
    assert request.applicant_name == "Siti Rahmawati" and request.channel == "internal"
    task = request.tasks.get()
    assert task.position == internal.head_position
    # The head's "mine" list has it; the unit's staff queue does not.
    mine = client_for(internal.head.user).get("/api/v1/tasks/?scope=mine").json()
    assert [t["registration_number"] for t in mine["results"]] == [number]
    tu_staff = factories.UserFactory()
    factories.StaffMembershipFactory(user=tu_staff, unit=internal.tu)
    assert client_for(tu_staff).get("/api/v1/tasks/?scope=queue").json()["count"] == 0
    assert (
        client_for(tu_staff)
        .post(f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"})
        .status_code
        == 404
    )
    assert (
        client_for(internal.peer.user)
        .post(f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"})
        .status_code
        == 404
    )
    assert (
        client_for(internal.staff.user)
        .post(f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"})
        .status_code
        == 404
    )
    done = client_for(internal.head.user).post(
        f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"}, format="json"
    )
    assert done.status_code == 200, done.content
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
    event = request.events.get(kind=RequestEvent.Kind.COMPLETED)
    assert event.acting_as == "Kepala Seksi Pendidikan Madrasah"
    absence = Absence.objects.get()
    assert (absence.start_date, absence.end_date) == (internal.first, internal.last)
    assert absence.reference == number
    [month] = selectors.month_recap(
        employees=[internal.staff], year=internal.first.year, month=internal.first.month
    )
    assert {d.date: d.status for d in month.days}[internal.first] == "leave"
    balance = selectors.leave_balance(employee=internal.staff, year=internal.first.year)
    assert balance["entitled"] == 12
    assert balance["taken"] == (internal.last - internal.first).days + 1 - sum(
        1
        for n in range((internal.last - internal.first).days + 1)
        if (internal.first + n * DAY).weekday() >= 5
    )


def test_while_a_plt_is_in_force_the_plt_approves_and_the_holder_is_refused(internal):
    plt = factories.EmployeeFactory(name="Rina Marlina", user__username="rina")
    factories.ActingAssignmentFactory(
        employee=plt,
        position=internal.head_position,
        start_date=internal.today - DAY,
        end_date=internal.today + 30 * DAY,
    )
    apply_leave(internal)
    task = Task.objects.get()
    holder = client_for(internal.head.user)
    assert holder.get("/api/v1/tasks/?scope=mine").json()["count"] == 0
    assert (
        holder.post(f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"}).status_code
        == 404
    )
    assert not Absence.objects.exists()
    done = client_for(plt.user).post(
        f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"}, format="json"
    )
    assert done.status_code == 200
    event = RequestEvent.objects.get(kind=RequestEvent.Kind.COMPLETED)
    assert event.acting_as == "Plt. Kepala Seksi Pendidikan Madrasah"
    assert Absence.objects.count() == 1


def test_a_rejected_leave_marks_nothing(internal):
    apply_leave(internal)
    task = Task.objects.get()
    services.task_reject(task=task, user=internal.head.user, note="Sedang ada akreditasi")
    assert not Absence.objects.exists()


def test_internal_services_are_not_for_the_public(internal, api_client):
    listed = api_client.get("/api/v1/services/").json()
    assert "cuti-tahunan" not in [s["code"] for s in listed["results"]]
    assert api_client.get("/api/v1/services/cuti-tahunan/").status_code == 404
    anonymous = api_client.post(
        "/api/v1/requests/",
        {
            "service": "cuti-tahunan",
            "applicant": {"name": "X", "phone": "081234567890"},
            "data": {"mulai": internal.first.isoformat(), "selesai": internal.last.isoformat()},
        },
        format="json",
    )
    assert anonymous.status_code == 403
    no_employee = client_for(factories.UserFactory())
    assert apply_leave(internal, user=no_employee.handler._force_user).status_code == 403


def test_an_applicant_step_blocks_until_delivered_and_its_deadline_fires(internal):
    client = client_for(internal.staff.user)
    created = client.post(
        "/api/v1/requests/",
        {"service": "usulan-kegiatan", "data": {"kegiatan": "Bimtek EMIS"}},
        format="json",
    )
    assert created.status_code == 201, created.content
    request = internal.activity.requests.get()
    first = request.tasks.get()
    services.task_approve(task=first, user=internal.head.user)
    request.refresh_from_db()
    report_task = request.tasks.get(status="open")
    assert report_task.step.route == "applicant" and request.current_step.order == 2
    # Nobody else can move the flow on: not the superior, not the unit's staff.
    for user in (internal.head.user, internal.hr):
        response = client_for(user).post(
            f"/api/v1/tasks/{report_task.pk}/complete/", {"decision": "approve", "note": "x"}
        )
        assert response.status_code == 404
    mine = client.get("/api/v1/tasks/?scope=mine").json()
    assert [t["id"] for t in mine["results"]] == [report_task.pk]

    # Its deadline: two working days; the day after, the timer flags it.
    day_after = report_task.due_date + DAY
    moment = timezone.make_aware(datetime.datetime.combine(day_after, datetime.time(0, 5)))
    with time_machine.travel(moment, tick=False):
        assert fire_workflow_timers.delay().get() >= 1
    report_task.refresh_from_db()
    assert report_task.overdue
    assert request.events.filter(kind=RequestEvent.Kind.OVERDUE).exists()

    # The delivery needs its text, then the flow goes on to the assessment.
    refused = client.post(
        f"/api/v1/tasks/{report_task.pk}/complete/", {"decision": "approve"}, format="json"
    )
    assert refused.status_code == 400 and "note" in refused.json()
    delivered = client.post(
        f"/api/v1/tasks/{report_task.pk}/complete/",
        {"decision": "approve", "note": "Bimtek diikuti 40 operator"},
        format="json",
    )
    assert delivered.status_code == 200, delivered.content
    request.refresh_from_db()
    assert request.current_step.order == 3
    assessment = request.tasks.get(status="open")
    assert assessment.position == internal.head_position
    services.task_approve(task=assessment, user=internal.head.user, note="Baik")
    request.refresh_from_db()
    assert request.status == RequestStatus.COMPLETED
