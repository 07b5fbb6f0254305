"""The bench's bulk seeder (bench/seed.py, rows made inside PostgreSQL) writes requests the
app treats exactly like real ones: checked through the real selectors, services and API
on a small seed, per status."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from viewflow.workflow.models import Process
from viewflow.workflow.models import Task as FlowTask

from bench.seed import QUEUE_UNIT, seed
from notifications.models import Message
from services_catalog.models import ServiceType
from workflow import flows, services
from workflow.models import RegistrationCounter, ServiceRequest, Task
from workflow.numbers import format_number, normalize

TOTAL, QUEUE = 1_500, 120
PER_STATUS = 15
STAFF = "staf_kjb_ptsp"
EXPECTED_MESSAGE = {
    "submitted": "submitted",
    "started": "step_started",
    "advanced": "step_started",
    "returned": "returned",
    "completed": "completed",
    "rejected": "rejected",
    "cancelled": "cancelled",
}


def _submit(service_code="bench-json"):
    return services.service_request_submit(
        service=ServiceType.objects.get(code=service_code),
        applicant={"name": "Siti Aminah", "phone": "0812-3456-7890", "nik": "3273015508900001"},
        data={"keperluan": "Umrah"},
        documents={},
        channel="online",
    )


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo data, one real submission, then the bulk seed on top (committed once for
    the module; each test runs in its own rolled-back transaction)."""
    with django_db_blocker.unblock():
        with override_settings(DEBUG=True):  # seed_demo refuses to run otherwise
            call_command("seed_demo", verbosity=0)
        from bench.seed import bench_services

        bench_services()
        before = _submit()
        # An office whose counter is near 100,000 this year: its numbers go to six digits.
        from organization.models import Office

        RegistrationCounter.objects.create(
            office=Office.objects.get(code="KWJ"), year=timezone.localdate().year, last=99_990
        )
        counts = seed(TOTAL, QUEUE)
        yield {"counts": counts, "before": before}
        call_command("flush", interactive=False, verbosity=0)


def _sample(status):
    rows = list(
        ServiceRequest.objects.filter(status=status, applicant_name__contains=" ")
        .exclude(service__code__startswith="bench-")
        .order_by("?")[:PER_STATUS]
    )
    assert rows, f"no seeded request in {status}"
    return rows


def test_counts_and_the_measured_units_queue(seeded, db):
    counts = seeded["counts"]
    assert counts["requests"] == TOTAL
    assert counts["open_in_queue_unit"] == QUEUE + 1  # and the real submission's task
    statuses = Counter(
        ServiceRequest.objects.exclude(pk=seeded["before"].pk).values_list("status", flat=True)
    )
    assert set(statuses) == {
        "submitted",
        "in_progress",
        "needs_info",
        "completed",
        "rejected",
        "cancelled",
    }
    assert sum(statuses.values()) == TOTAL
    assert Task.objects.count() == counts["tasks"] + 1
    assert Message.objects.filter(request__isnull=False).count() == counts["messages"] + 1
    from django.contrib.auth import get_user_model

    from workflow.selectors import tasks_for_user

    staff = get_user_model().objects.get(username=STAFF)
    queue = tasks_for_user(staff, scope="queue")
    assert queue.count() == QUEUE + 1  # and the real submission's task
    assert {(t.unit.office.code, t.unit.code) for t in queue[:50]} == {QUEUE_UNIT}


def test_numbers_are_real_unique_and_the_counter_moved_on(seeded, db):
    before = seeded["before"]
    rows = ServiceRequest.objects.select_related("office").values_list(
        "registration_number", "registration_key", "office__code", "submitted_at"
    )
    by_office_year = {}
    for number, key, office, submitted_at in rows.exclude(pk=before.pk):
        assert normalize(number) == key
        code, year, seq, _check = number.split("-")
        assert code == office
        assert int(year) == timezone.localtime(submitted_at).year
        assert number == format_number(office_code=office, year=int(year), sequence=int(seq))
        by_office_year.setdefault((office, int(year)), []).append((submitted_at, int(seq)))
    for key, seqs in by_office_year.items():
        numbers = [s for _at, s in seqs]
        assert len(set(numbers)) == len(numbers), key
        # In submission order, as the allocator hands them out.
        assert [s for _at, s in sorted(seqs)] == sorted(numbers), key
        counter = RegistrationCounter.objects.get(office__code=key[0], year=key[1])
        assert counter.last == max(numbers)
    six = by_office_year[("KWJ", timezone.localdate().year)]
    assert min(s for _at, s in six) == 99_991 and max(s for _at, s in six) > 100_000
    # The real submission made before the seed kept its number; the seed continued after.
    year = timezone.localdate(before.submitted_at).year
    seqs = [s for _at, s in by_office_year[(before.office.code, year)]]
    assert min(seqs) == int(before.registration_number.split("-")[2]) + 1
    fresh = _submit()
    last = RegistrationCounter.objects.get(office=fresh.office, year=year).last
    assert fresh.registration_number == format_number(
        office_code=fresh.office.code, year=year, sequence=last
    )
    assert ServiceRequest.objects.filter(registration_number=fresh.registration_number).count() == 1


def _check_history(request, today, now):
    from workflow.deadlines import add_working_days, is_working_day

    events = list(request.events.order_by("at", "id"))
    transitions = [e for e in events if e.is_transition]
    assert transitions[0].kind == "submitted" and transitions[0].from_status == ""
    for earlier, later in zip(transitions, transitions[1:], strict=False):
        assert later.from_status == earlier.to_status, (request, earlier.kind, later.kind)
    assert transitions[-1].to_status == request.status
    # The rows' ids follow the timeline, as when the services write them one by one.
    assert events == sorted(events, key=lambda e: e.pk)
    assert events[-1].at <= now
    local = timezone.localtime(request.submitted_at)
    assert is_working_day(local.date()) and 8 <= local.hour < 16
    assert request.due_date == add_working_days(local.date(), request.service.sla_working_days)
    tasks = list(request.tasks.select_related("step").order_by("step__order"))
    for task in tasks:
        assert task.unit_id == task.step.unit_id
        opened = timezone.localdate(task.created_at)
        assert task.due_date == add_working_days(opened, task.step.sla_working_days)
        if task.status == Task.Status.DONE:
            assert task.completed_by_id == task.assigned_to_id is not None
            assert task.created_at <= task.claimed_at <= task.completed_at <= now
    steps = sorted(request.service.steps.all(), key=lambda s: s.order)
    required = {d.code for d in request.service.documents.all() if d.required}
    assert {d.code for d in request.documents.all()} == required
    open_tasks = [t for t in tasks if t.status == Task.Status.OPEN]
    kinds = [e.kind for e in transitions]
    if request.status in ("submitted", "in_progress"):
        (task,) = open_tasks
        assert task.step_id == request.current_step_id
        if request.status == "submitted":
            assert task.assigned_to_id is None
        elif task.step.order == 1:
            assert task.assigned_to_id is not None  # its claim started the request
        assert task.overdue == (task.due_date < today)
        assert any(e.kind == "overdue" and e.task_id == task.pk for e in events) == task.overdue
        process = Process.objects.get(artifact_object_id=request.pk)
        waiting = flows._waiting(request, flows.ServiceRequestFlow.step)
        assert waiting is not None and waiting.process_id == process.pk
        timer = FlowTask.objects.get(process=process, flow_task_type="TIMER")
        assert timer.data == {"task_id": task.pk}
        assert timer.status == ("DONE" if task.overdue else "SCHEDULED")
    else:
        assert not open_tasks
    if request.status == "needs_info":
        assert kinds[-1] == "returned" and tasks[-1].decision == "return"
        assert request.correction_due_date >= today
        process = Process.objects.get(artifact_object_id=request.pk)
        assert flows._waiting(request, flows.ServiceRequestFlow.correction) is not None
    if request.status == "completed":
        assert request.current_step is None and request.completed_at == transitions[-1].at
        assert kinds.count("advanced") == len(steps) - 1 == len(tasks) - 1
        assert all(t.decision == "approve" for t in tasks)
    if request.status in ("rejected", "cancelled"):
        assert request.current_step_id == tasks[-1].step_id
        assert request.completed_at == transitions[-1].at
    if request.status in ("completed", "rejected", "cancelled"):
        assert not Process.objects.filter(artifact_object_id=request.pk).exists()
    messages = list(request.messages.order_by("id"))
    assert [m.event_id for m in messages] == [e.pk for e in transitions]
    for message, event in zip(messages, transitions, strict=True):
        assert message.kind == EXPECTED_MESSAGE[event.kind]
        assert message.recipient == request.applicant_phone
        assert request.registration_number in message.body
        assert message.status in ("delivered", "read") and message.provider_sid


@pytest.mark.parametrize(
    "status", ["submitted", "in_progress", "needs_info", "completed", "rejected", "cancelled"]
)
def test_history_tasks_outbox_and_tracking_per_status(seeded, db, client, status):
    # The seed's day: a task due that day is overdue from midnight (its timer fires then).
    today, now = datetime.date.fromisoformat(seeded["counts"]["today"]), timezone.now()
    for request in _sample(status):
        _check_history(request, today, now)
        answer = client.get(f"/api/v1/track/{request.registration_number}/")
        assert answer.status_code == 200, answer.content
        body = answer.json()
        assert body["status"] == status
        public = request.events.filter(is_transition=True).count()
        assert len(body["history"]) == public
        page = client.get(f"/cek-status/{request.registration_number}/")
        assert page.status_code == 200
        assert request.registration_number in page.content.decode()


def test_staff_approve_a_seeded_queue_task_over_the_api(seeded, db, api_client):
    from django.contrib.auth import get_user_model

    from workflow.selectors import tasks_for_user

    staff = get_user_model().objects.get(username=STAFF)
    task = (
        tasks_for_user(staff, scope="queue")
        .filter(request__applicant_name__contains=" ", step__order=1)
        .exclude(request__service__code__startswith="bench-")
        .first()
    )
    request = task.request
    before = set(request.events.values_list("pk", flat=True))
    api_client.force_authenticate(staff)
    answer = api_client.post(
        f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    request.refresh_from_db()
    assert request.status == "in_progress" and request.current_step.order == 2
    new_events = request.events.exclude(pk__in=before).order_by("at", "id")
    assert [e.kind for e in new_events] == ["claimed", "started", "advanced"]
    (opened,) = request.tasks.filter(status="open")
    assert opened.step_id == request.current_step_id
    process = Process.objects.get(artifact_object_id=request.pk)
    assert process.data["outcome"] == "next_step"
    waiting = flows._waiting(request, flows.ServiceRequestFlow.step)
    assert waiting is not None and waiting.created > task.created_at
    assert waiting.process_id == process.pk
    armed = FlowTask.objects.filter(process=process, flow_task_type="TIMER", status="SCHEDULED")
    assert [t.data["task_id"] for t in armed] == [opened.pk]
    sent = Message.objects.filter(request=request, event__pk__in=new_events.values("pk"))
    assert sorted(sent.values_list("kind", flat=True)) == ["step_started", "step_started"]
    assert ServiceRequest.objects.get(pk=request.pk).events.count() == len(before) + 3


def test_returned_seeded_request_is_corrected_and_back_in_the_step(seeded, db):
    request = _sample("needs_info")[0]
    step = request.current_step
    services.service_request_resubmit(request=request, data={}, documents={})
    request.refresh_from_db()
    assert request.status == "in_progress" and request.current_step == step
    (opened,) = request.tasks.filter(status="open")
    assert opened.step == step
    process = Process.objects.get(artifact_object_id=request.pk)
    assert flows._waiting(request, flows.ServiceRequestFlow.step).process_id == process.pk


def test_new_submission_over_the_api_gets_a_new_number(seeded, db, api_client):
    body = {
        "service": "bench-json",
        "applicant": {"name": "Siti Aminah", "phone": "0812-3456-7890"},
        "data": {"keperluan": "Umrah"},
    }
    answer = api_client.post("/api/v1/requests/", body, format="json")
    assert answer.status_code == 201, answer.content
    number = answer.json()["registration_number"]
    assert ServiceRequest.objects.filter(registration_number=number).count() == 1
    office, year, seq, _ = number.split("-")
    counter = RegistrationCounter.objects.get(office__code=office, year=int(year))
    assert counter.last == int(seq)
    seeded_max = max(
        int(n.split("-")[2])
        for n in ServiceRequest.objects.filter(office__code=office, submitted_at__year=int(year))
        .exclude(registration_number=number)
        .values_list("registration_number", flat=True)
    )
    assert int(seq) == seeded_max + 1
