"""Seed a realistic history in bulk: requests across the demo offices and services, in
every status, with their history rows, tasks and outbox messages (COPY, not the ORM).

    DEBUG=1 DATABASE_URL=... python -m bench.seed 1000000

The demo organisation and catalogue come from `seed_demo` first. One unit (PTSP of
Kota Jambi, the counter everyone passes through) gets a fixed queue of open step-1
tasks, so the staff-queue figures are for a known queue size.
"""

import datetime
import random
import sys
import time

from django.db import connection, transaction
from django.utils import timezone

from bench.bulk import copy_rows, next_id

# Share of requests per status: most are long finished, some are under way.
STATUSES = [
    ("completed", 0.62),
    ("rejected", 0.04),
    ("cancelled", 0.03),
    ("in_progress", 0.22),
    ("submitted", 0.05),
    ("needs_info", 0.04),
]
QUEUE_UNIT = ("KJB", "ptsp")
# The outbox kind of each history kind (started and advanced both say "now at step").
MESSAGE_KIND = {
    "submitted": "submitted",
    "returned": "returned",
    "completed": "completed",
    "rejected": "rejected",
    "cancelled": "cancelled",
}
rng = random.Random(20261201)


def _pick_status():
    r, acc = rng.random(), 0.0
    for status, share in STATUSES:
        acc += share
        if r < acc:
            return status
    return STATUSES[0][0]


def _catalogue():
    from services_catalog.models import ServiceType

    services = []
    for service in ServiceType.objects.select_related("unit__office").prefetch_related(
        "steps__unit"
    ):
        steps = sorted(service.steps.all(), key=lambda s: s.order)
        if steps:
            services.append((service, steps))
    return services


def bench_services() -> None:
    """Two services at the PTSP of Kota Jambi for the write figures: one answered by a
    JSON submission (no document), one with a PDF; two steps, so an approval of step 1
    is a real move to step 2."""
    from organization.models import Unit
    from services_catalog.models import FormField, RequiredDocument, ServiceType, Step

    unit = Unit.objects.get(office__code=QUEUE_UNIT[0], code=QUEUE_UNIT[1])
    for code, with_pdf in (("bench-json", False), ("bench-pdf", True)):
        service, _ = ServiceType.objects.update_or_create(
            code=code,
            defaults={
                "name": f"Layanan uji beban ({code})",
                "unit": unit,
                "product": "Surat",
                "sla_working_days": 5,
                "display_order": 999,
            },
        )
        FormField.objects.update_or_create(
            service=service, code="keperluan", defaults={"label": "Keperluan", "order": 1}
        )
        if with_pdf:
            RequiredDocument.objects.update_or_create(
                service=service, code="ktp", defaults={"label": "KTP", "order": 1}
            )
        for order in (1, 2):
            Step.objects.update_or_create(
                service=service,
                order=order,
                defaults={"name": f"Langkah {order}", "unit": unit, "may_return": order == 1},
            )


def seed(total: int, queue_open: int) -> dict:
    from django.contrib.auth import get_user_model

    from notifications.models import Message
    from organization.models import StaffMembership
    from workflow.models import RegistrationCounter, RequestEvent, ServiceRequest, Task
    from workflow.numbers import format_number, key_of

    started = time.perf_counter()
    bench_services()
    services = [(s, steps) for s, steps in _catalogue() if not s.code.startswith("bench-")]
    queue_services = [
        (s, steps)
        for s, steps in services
        if (steps[0].unit.office.code, steps[0].unit.code) == QUEUE_UNIT
    ]
    staff_by_unit: dict[int, list[int]] = {}
    for unit_id, user_id in StaffMembership.objects.values_list("unit_id", "user_id"):
        staff_by_unit.setdefault(unit_id, []).append(user_id)
    any_staff = get_user_model().objects.filter(is_superuser=False).values_list("pk", flat=True)
    fallback_staff = list(any_staff)[:5]

    now = timezone.now()
    today = timezone.localdate()
    counters: dict[tuple[int, int], int] = {}
    request_id = next_id(ServiceRequest)
    task_id = next_id(Task)
    event_id = next_id(RequestEvent)
    requests, tasks, events, messages = [], [], [], []
    counts = {"requests": 0, "tasks": 0, "events": 0, "messages": 0, "open_in_queue_unit": 0}

    def add_event(req, kind, at, from_status, to_status, step, task=None):
        nonlocal event_id
        events.append(
            {
                "id": event_id,
                "request_id": req["id"],
                "kind": kind,
                "is_transition": True,
                "at": at,
                "actor_id": None,
                "acting_as": "" if task is None else "Staf",
                "from_status": from_status,
                "to_status": to_status,
                "step_id": step.pk if step else None,
                "task_id": task,
                "note": "",
            }
        )
        messages.append(
            {
                "request_id": req["id"],
                "event_id": event_id,
                "kind": MESSAGE_KIND.get(kind, "step_started"),
                "recipient": req["applicant_phone"],
                "body": f"Permohonan {req['registration_number']}: {to_status}",
                "idempotency_key": f"bench:event:{event_id}",
                "status": "read" if at < now - datetime.timedelta(hours=1) else "delivered",
                "backend": "twilio",
                "attempts": 1,
                "created_at": at,
                "sent_at": at,
                "delivered_at": at,
            }
        )
        event_id += 1

    def add_task(req, step, status, created, staff):
        nonlocal task_id
        tasks.append(
            {
                "id": task_id,
                "request_id": req["id"],
                "step_id": step.pk,
                "unit_id": step.unit_id,
                "status": status,
                "assigned_to_id": rng.choice(staff)
                if status == "done" or rng.random() < 0.2
                else None,
                "created_at": created,
                "claimed_at": created,
                "due_date": (created + datetime.timedelta(days=step.sla_working_days + 2)).date(),
                "overdue": False,
                "completed_at": created + datetime.timedelta(hours=5) if status == "done" else None,
                "decision": "approve" if status == "done" else "",
            }
        )
        task_id += 1
        return task_id - 1

    def flush():
        copy_rows(ServiceRequest, requests, with_ids=True)
        copy_rows(Task, tasks, with_ids=True)
        copy_rows(RequestEvent, events, with_ids=True)
        copy_rows(Message, messages)
        counts["requests"] += len(requests)
        counts["tasks"] += len(tasks)
        counts["events"] += len(events)
        counts["messages"] += len(messages)
        for batch in (requests, tasks, events, messages):
            batch.clear()

    with transaction.atomic():
        for n in range(total):
            in_queue = counts["open_in_queue_unit"] < queue_open and queue_services
            if in_queue:
                service, steps = rng.choice(queue_services)
                status = "in_progress"
                counts["open_in_queue_unit"] += 1
            else:
                service, steps = rng.choice(services)
                status = _pick_status()
            office = service.unit.office
            submitted = now - datetime.timedelta(minutes=rng.randint(5, 60 * 24 * 700))
            year = timezone.localtime(submitted).year
            seq = counters[(office.pk, year)] = counters.get((office.pk, year), 0) + 1
            number = format_number(office_code=office.code, year=year, sequence=seq)
            reached = 0 if in_queue else rng.randrange(len(steps))
            current = steps[reached] if status in ("in_progress", "needs_info") else None
            if status == "submitted":
                current = steps[0]
            finished = status in ("completed", "rejected", "cancelled")
            req = {
                "id": request_id,
                "service_id": service.pk,
                "office_id": office.pk,
                "registration_number": number,
                "registration_key": key_of(number),
                "status": status,
                "current_step_id": current.pk if current else None,
                "channel": "counter" if rng.random() < 0.3 else "online",
                "applicant_name": f"Pemohon Bench {n}",
                "applicant_phone": f"+62812{n % 100_000_000:08d}",
                "applicant_nik": "",
                "data": {"keperluan": "Data uji beban"},
                "submitted_at": submitted,
                "due_date": (
                    submitted + datetime.timedelta(days=service.sla_working_days + 4)
                ).date(),
                "completed_at": submitted + datetime.timedelta(days=3) if finished else None,
            }
            requests.append(req)
            request_id += 1
            add_event(req, "submitted", submitted, "", "submitted", steps[0])
            done_steps = len(steps) if status == "completed" else reached
            at = submitted
            for i in range(done_steps):
                step = steps[i]
                staff = staff_by_unit.get(step.unit_id) or fallback_staff
                at = at + datetime.timedelta(hours=rng.randint(1, 30))
                t = add_task(req, step, "done", at, staff)
                if i == 0:
                    add_event(req, "started", at, "submitted", "in_progress", step, t)
                if i + 1 < len(steps):
                    add_event(req, "advanced", at, "in_progress", "in_progress", steps[i + 1], t)
            if status in ("in_progress", "submitted"):
                step = current
                staff = staff_by_unit.get(step.unit_id) or fallback_staff
                t = add_task(req, step, "open", at, staff)
                if in_queue:
                    tasks[-1]["assigned_to_id"] = None
                    tasks[-1]["due_date"] = today + datetime.timedelta(days=rng.randint(-3, 10))
            elif status == "needs_info":
                add_event(req, "returned", at, "in_progress", "needs_info", current)
            elif status in ("rejected", "cancelled"):
                add_event(req, status, at, "in_progress", status, None)
            else:
                add_event(req, "completed", at, "in_progress", "completed", None)
            if len(requests) >= 20_000:
                flush()
        flush()
        for (office_id, year), last in counters.items():
            RegistrationCounter.objects.update_or_create(
                office_id=office_id, year=year, defaults={"last": last}
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


if __name__ == "__main__":
    import json
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    queue = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    print(json.dumps(seed(total, queue)))
