"""Each workflow rule from its one home: roles (assignees, counter clerks, channel), the
decision services, the resubmission identity rule. Pages and the API are checked to
offer exactly what the services accept."""

import re

import pytest
from django.contrib.auth.models import Group

from config.exceptions import ApplicationError, Forbidden
from tests import factories
from tests.workflow.fixtures import member, umrah_data
from workflow import roles, services
from workflow.models import Channel, RequestStatus, Task

pytestmark = pytest.mark.django_db


def new_request(service):
    return factories.submit_request(service, data=umrah_data())


@pytest.fixture
def grouped_step(umrah):
    """Step 1 of the umrah service is handled by the "verifikator" group of the unit."""
    group = Group.objects.create(name="verifikator")
    step = umrah.steps.get(order=1)
    step.group = group
    step.save(update_fields=["group"])
    return group


def offered(page: str, select_id: str) -> list[str]:
    select = re.search(rf'<select id="{select_id}" name="user">(.*?)</select>', page, re.S)
    assert select, f"no assignee list {select_id} on the page"
    return re.findall(r'<option value="([^"]+)"', select.group(1))


def test_staff_pages_offer_exactly_the_assignees_task_assign_accepts(
    client, umrah, supervisor, grouped_step
):
    in_group = member(umrah.unit, "staff", "verifikator_phu")
    in_group.groups.add(grouped_step)
    member(umrah.unit, "staff", "petugas_lain")  # same unit, not in the step's group
    inactive = member(umrah.unit, "staff", "pensiun")
    inactive.groups.add(grouped_step)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    req = new_request(umrah)
    task = req.tasks.get()
    client.force_login(supervisor)

    listed = offered(client.get("/staf/?scope=queue").content.decode(), f"assign-{task.pk}")
    detail = offered(
        client.get(f"/staf/permohonan/{req.registration_number}/").content.decode(),
        "assign-user",
    )
    assert listed == detail == ["kasi_phu", "verifikator_phu"]

    # Everyone offered is accepted, everyone else of the unit is refused.
    for username in ("petugas_lain", "pensiun"):
        response = client.post(f"/staf/tugas/{task.pk}/tugaskan/", {"user": username})
        assert response.status_code == 302
        task.refresh_from_db()
        assert task.assigned_to is None
    client.post(f"/staf/tugas/{task.pk}/tugaskan/", {"user": "verifikator_phu"})
    task.refresh_from_db()
    assert task.assigned_to.username == "verifikator_phu"


def test_eligible_assignees_is_the_rule_task_assign_enforces(umrah, supervisor, grouped_step):
    outside = member(umrah.unit, "staff", "petugas_lain")
    req = new_request(umrah)
    task = req.tasks.get()
    assert outside not in roles.assignees_for_task(task)
    with pytest.raises(ApplicationError) as exc:
        services.task_assign(task=task, assignee=outside, user=supervisor)
    assert exc.value.field_errors == {"user": ["Orang ini tidak termasuk kelompok staf tahap ini."]}
    outside.groups.add(grouped_step)
    assert outside in roles.assignees_for_task(task)
    services.task_assign(task=task, assignee=outside, user=supervisor)
    assert Task.objects.get(pk=task.pk).assigned_to == outside


def test_counter_clerk_rule_and_channel(umrah, clerk, staff):
    office = umrah.unit.office
    other_office = factories.OfficeFactory(code="MJB")
    assert roles.is_counter_clerk(clerk) and roles.is_counter_clerk(clerk, office_id=office.pk)
    assert not roles.is_counter_clerk(clerk, office_id=other_office.pk)
    assert not roles.is_counter_clerk(staff)
    assert roles.clerk_office_ids(clerk) == {office.pk}
    assert roles.submission_channel(clerk) == Channel.COUNTER
    assert roles.submission_channel(staff) == Channel.ONLINE
    assert roles.submission_channel(None) == Channel.ONLINE


def test_submit_decides_the_channel_from_the_acting_user(umrah, clerk, staff):
    by_clerk = factories.submit_request(umrah, data=umrah_data(), channel=None, acting_user=clerk)
    assert by_clerk.channel == Channel.COUNTER and by_clerk.submitted_by == clerk
    by_staff = factories.submit_request(umrah, data=umrah_data(), channel=None, acting_user=staff)
    assert by_staff.channel == Channel.ONLINE and by_staff.submitted_by is None
    assert by_staff.events.get().actor is None


def test_counter_submission_needs_a_clerk_of_the_office(umrah, staff):
    other = factories.UnitFactory(office=factories.OfficeFactory(code="MJB"), code="ptsp")
    foreign_clerk = member(other, "clerk", "loket_mjb")
    for user in (staff, foreign_clerk, None):
        with pytest.raises(Forbidden):
            factories.submit_request(
                umrah, data=umrah_data(), channel=Channel.COUNTER, acting_user=user
            )


def test_resubmit_refuses_identity_changes_in_the_service(umrah, staff):
    req = new_request(umrah)
    services.task_return(task=req.tasks.get(), user=staff, note="Perbaiki tanggal")
    for identity in ({"applicant": {"name": "Orang Lain"}}, {"service": "lain"}):
        with pytest.raises(ApplicationError) as exc:
            services.service_request_resubmit(request=req, data={}, documents={}, **identity)
        assert "applicant" in exc.value.field_errors
    req.refresh_from_db()
    assert req.status == RequestStatus.NEEDS_INFO


def test_the_three_decisions_are_their_own_services(umrah, staff, tu_staff):
    returned = new_request(umrah)
    services.task_return(
        task=returned.tasks.get(), user=staff, note="Lengkapi KTP", correction_codes=["ktp"]
    )
    returned.refresh_from_db()
    assert returned.status == RequestStatus.NEEDS_INFO and returned.correction_codes == ["ktp"]
    rejected = new_request(umrah)
    services.task_reject(task=rejected.tasks.get(), user=staff, note="Bukan wewenang kami")
    rejected.refresh_from_db()
    assert rejected.status == RequestStatus.REJECTED
    approved = new_request(umrah)
    services.task_approve(task=approved.tasks.get(), user=staff)
    approved.refresh_from_db()
    assert approved.status == RequestStatus.IN_PROGRESS and approved.current_step.order == 2
    kinds = list(approved.events.values_list("kind", flat=True))
    # The unclaimed task was claimed first (one claim sequence), then decided.
    assert kinds == ["submitted", "claimed", "started", "advanced"]
    for decide in (services.task_return, services.task_reject):
        with pytest.raises(ApplicationError) as exc:
            decide(task=approved.tasks.get(status="open"), user=staff, note="  ")
        assert "note" in exc.value.field_errors
