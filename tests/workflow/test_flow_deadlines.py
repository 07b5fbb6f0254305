"""The flow owns the deadlines: viewflow timer boundary events, fired by viewflow's
dispatcher (`workflow.tasks.fire_workflow_timers`) with the clock moved by time-machine."""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import PROCESS, STATUS

from notifications.models import Message
from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow import flows, services
from workflow.deadlines import passed_from
from workflow.models import RequestEvent, RequestStatus
from workflow.tasks import fire_workflow_timers

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour=0, minute=1):
    """A moment on `day` in the office's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def timers(request, node):
    process = flows._process_of(request)
    return list(FlowTask.objects.filter(process=process, flow_task=node).order_by("pk"))


def fire() -> int:
    return fire_workflow_timers.delay().get()


@pytest.fixture
def phoned_supervisor(supervisor):
    factories.EmployeeFactory(user=supervisor, phone="0812-1111-2222")
    return supervisor


def test_the_timers_run_from_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["workflow-timers"]
    assert entry == {"task": "workflow.tasks.fire_workflow_timers", "schedule": 300}
    assert not any("overdue" in name for name in settings.CELERY_BEAT_SCHEDULE)


def test_an_overdue_step_is_marked_once_and_its_supervisors_told(umrah, phoned_supervisor, staff):
    req = factories.submit_request(umrah, data=umrah_data())
    task = req.tasks.get()
    (timer,) = timers(req, flows.ServiceRequestFlow.step__timeout)
    assert timer.status == STATUS.SCHEDULED
    assert timer.scheduled == passed_from(task.due_date)
    assert timer.data == {"task_id": task.pk}

    with time_machine.travel(at(task.due_date, 23, 59), tick=False):
        assert fire() == 0  # due today is not overdue yet
    task.refresh_from_db()
    assert not task.overdue

    with time_machine.travel(at(task.due_date + datetime.timedelta(days=1)), tick=False):
        assert fire() == 1
        assert fire() == 0  # each deadline fires once
    task.refresh_from_db()
    assert task.overdue and task.overdue_notified_at is not None
    event = req.events.get(kind=RequestEvent.Kind.OVERDUE)
    assert event.is_transition is False and event.note == task.due_date.isoformat()
    reminder = Message.objects.get(kind="overdue")
    assert reminder.recipient == "+6281211112222"
    assert req.registration_number in reminder.body
    # Non-interrupting: the step is still open and the staff can still decide it.
    req.refresh_from_db()
    assert req.status == RequestStatus.SUBMITTED and task.status == "open"
    services.task_approve(task=task, user=staff)
    req.refresh_from_db()
    assert req.current_step.order == 2


def test_a_step_decided_in_time_cancels_its_timer_and_the_next_step_gets_one(umrah, staff):
    req = factories.submit_request(umrah, data=umrah_data())
    first = req.tasks.get()
    services.task_approve(task=first, user=staff)
    step_timers = timers(req, flows.ServiceRequestFlow.step__timeout)
    assert [t.status for t in step_timers] == [STATUS.CANCELED, STATUS.SCHEDULED]
    second = req.tasks.get(status="open")
    assert step_timers[1].scheduled == passed_from(second.due_date)
    with time_machine.travel(at(first.due_date + datetime.timedelta(days=1)), tick=False):
        fire()
    first.refresh_from_db()
    assert not first.overdue and not req.events.filter(kind="overdue", task=first).exists()


def test_a_returned_request_not_corrected_in_time_is_closed(client, umrah, staff):
    req = factories.submit_request(umrah, data=umrah_data())
    services.task_return(task=req.tasks.get(), user=staff, note="Lengkapi KTP")
    req.refresh_from_db()
    returned_on = timezone.localdate()
    assert req.correction_due_date == returned_on + datetime.timedelta(days=14)
    (timer,) = timers(req, flows.ServiceRequestFlow.correction__timeout)
    assert timer.scheduled == passed_from(req.correction_due_date)

    # The applicant sees the deadline on their page.
    client.get(f"/permohonan/{req.registration_number}/?token={req.access_token}")
    page = client.get(f"/permohonan/{req.registration_number}/").content.decode()
    assert 'id="correction-deadline"' in page
    assert req.correction_due_date.strftime("%d") in page

    with time_machine.travel(at(req.correction_due_date, 23, 59), tick=False):
        assert fire() == 0
    with time_machine.travel(at(req.correction_due_date + datetime.timedelta(days=1)), tick=False):
        assert fire() == 1
    req.refresh_from_db()
    assert req.status == RequestStatus.CANCELLED and req.completed_at is not None
    closed = req.events.last()
    assert (closed.kind, closed.is_transition, closed.from_status, closed.to_status) == (
        "closed_unanswered",
        True,
        "needs_info",
        "cancelled",
    )
    assert closed.actor is None
    message = Message.objects.get(kind="closed_unanswered")
    assert req.registration_number in message.body and "ditutup" in message.body
    assert flows._process_of(req).status == PROCESS.DONE

    page = client.get(f"/permohonan/{req.registration_number}/").content.decode()
    assert 'id="closed-unanswered"' in page and "Permohonan Anda ditutup" in page
    public = client.get(f"/cek-status/{req.registration_number}/").content.decode()
    assert "Dibatalkan" in public


def test_a_correction_in_time_cancels_the_closing_timer(umrah, staff):
    req = factories.submit_request(umrah, data=umrah_data())
    services.task_return(task=req.tasks.get(), user=staff, note="Lengkapi KTP")
    services.service_request_resubmit(request=req, data={}, documents={})
    (timer,) = timers(req, flows.ServiceRequestFlow.correction__timeout)
    assert timer.status == STATUS.CANCELED
    req.refresh_from_db()
    assert req.correction_due_date is None
    with time_machine.travel(at(timezone.localdate() + datetime.timedelta(days=30)), tick=False):
        fired = fire()
    req.refresh_from_db()
    # Only the new step task's overdue timer fired; the request is still being worked.
    assert fired == 1 and req.status == RequestStatus.IN_PROGRESS
    assert not req.events.filter(kind="closed_unanswered").exists()


def test_the_service_standard_sets_the_correction_time(umrah, staff):
    umrah.correction_days = 3
    umrah.save(update_fields=["correction_days"])
    req = factories.submit_request(umrah, data=umrah_data())
    services.task_return(task=req.tasks.get(), user=staff, note="Lengkapi KTP")
    req.refresh_from_db()
    assert req.correction_due_date == timezone.localdate() + datetime.timedelta(days=3)


def test_a_late_timer_after_a_cancellation_changes_nothing(umrah, staff):
    req = factories.submit_request(umrah, data=umrah_data())
    task = req.tasks.get()
    services.service_request_cancel(request=req)
    assert [t.status for t in timers(req, flows.ServiceRequestFlow.step__timeout)] == [
        STATUS.CANCELED
    ]
    with time_machine.travel(at(task.due_date + datetime.timedelta(days=5)), tick=False):
        assert fire() == 0
    assert not req.events.filter(kind="overdue").exists()


def test_the_close_service_refuses_a_request_that_is_no_longer_waiting(umrah, staff):
    req = factories.submit_request(umrah, data=umrah_data())
    assert services.request_close_unanswered(request_id=req.pk) is None
    services.task_return(task=req.tasks.get(), user=staff, note="Lengkapi KTP")
    assert services.request_close_unanswered(request_id=req.pk) is None  # not yet due
    req.refresh_from_db()
    assert req.status == RequestStatus.NEEDS_INFO


def test_an_overdue_path_does_not_keep_the_process_open(umrah, staff, tu_staff):
    req = factories.submit_request(umrah, data=umrah_data())
    task = req.tasks.get()
    with time_machine.travel(at(task.due_date + datetime.timedelta(days=1)), tick=False):
        assert fire() == 1
    for order in (1, 2):
        services.task_approve(task=req.tasks.get(step__order=order, status="open"), user=staff)
    services.task_approve(
        task=req.tasks.get(step__order=3), user=tu_staff, result_file=factories.pdf_upload()
    )
    process = flows._process_of(req)
    assert process.status == PROCESS.DONE and process.finished is not None


def test_requests_opened_before_the_timers_get_them_armed_once(umrah, staff, phoned_supervisor):
    from django.core.management import call_command

    waiting = factories.submit_request(umrah, data=umrah_data())
    returned = factories.submit_request(umrah, data=umrah_data())
    services.task_return(task=returned.tasks.get(), user=staff, note="Lengkapi KTP")
    # As an earlier version left them: waiting tasks without boundary timers.
    FlowTask.objects.filter(flow_task_type="TIMER").delete()
    out = io.StringIO()
    call_command("workflow_arm_timers", stdout=out)
    assert out.getvalue().strip() == "2 timer(s) armed"
    assert flows.flow_arm_missing_timers() == 0
    task = waiting.tasks.get()
    (timer,) = timers(waiting, flows.ServiceRequestFlow.step__timeout)
    assert timer.scheduled == passed_from(task.due_date)
    returned.refresh_from_db()
    later = max(task.due_date, returned.correction_due_date) + datetime.timedelta(days=1)
    with time_machine.travel(at(later), tick=False):
        assert fire() == 2
    task.refresh_from_db()
    returned.refresh_from_db()
    assert task.overdue and returned.status == RequestStatus.CANCELLED
