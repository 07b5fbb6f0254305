"""Request lifecycle: submissions, staff task list and request detail, public lookups.

Seeds realistic volumes first (20,000 requests, 60,000 history rows, 20,000 tasks of
which 6,000 open, spread over 4 units and 5 services), straight into the tables.
"""

import datetime
import json
import random

from django.db import transaction
from django.utils import timezone

from bench import row, timed

REQUESTS = 20_000
OPEN_SHARE = 0.3
rng = random.Random(42)


def _seed():
    from django.contrib.auth import get_user_model

    from organization.models import Office, StaffMembership, Unit
    from services_catalog.models import FormField, RequiredDocument, ServiceType, Step
    from workflow.models import (
        RegistrationCounter,
        RequestEvent,
        RequestStatus,
        ServiceRequest,
        Task,
    )
    from workflow.numbers import format_number, key_of

    office = Office.objects.create(code="KJB", name="Kankemenag Kota Jambi", kind="kankemenag")
    units = [Unit.objects.create(office=office, code=f"u{i}", name=f"Seksi {i}") for i in range(4)]
    User = get_user_model()
    staff = []
    for i, unit in enumerate(units):
        for j in range(5):
            user = User.objects.create_user(f"staf{i}_{j}", password="bench-pass-1")
            StaffMembership.objects.create(
                user=user, unit=unit, role="supervisor" if j == 0 else "staff"
            )
            staff.append(user)
    services = []
    for s in range(5):
        unit = units[s % 4]
        service = ServiceType.objects.create(
            code=f"layanan-{s}",
            name=f"Layanan {s}",
            unit=unit,
            sla_working_days=5,
            product="Surat",
            product_is_digital=True,
        )
        FormField.objects.create(service=service, code="keperluan", label="Keperluan", order=1)
        FormField.objects.create(
            service=service, code="tanggal", label="Tanggal", type="date", order=2
        )
        FormField.objects.create(
            service=service, code="jenis", label="Jenis", type="choice", choices=["A", "B"], order=3
        )
        RequiredDocument.objects.create(service=service, code="ktp", label="KTP")
        steps = [
            Step.objects.create(
                service=service, order=1, name="Verifikasi", unit=unit, may_return=True
            ),
            Step.objects.create(service=service, order=2, name="Paraf", unit=unit),
            Step.objects.create(
                service=service, order=3, name="Tanda tangan", unit=unit, produces_result=True
            ),
        ]
        services.append((service, steps))

    now = timezone.now()
    today = timezone.localdate()
    year = today.year
    batch_requests = []
    for n in range(1, REQUESTS + 1):
        service, steps = services[n % len(services)]
        number = format_number(office_code="KJB", year=year, sequence=n)
        is_open = rng.random() < OPEN_SHARE
        submitted = now - datetime.timedelta(minutes=rng.randint(10, 60 * 24 * 200))
        batch_requests.append(
            ServiceRequest(
                service=service,
                office=office,
                registration_number=number,
                registration_key=key_of(number),
                status=RequestStatus.IN_PROGRESS if is_open else RequestStatus.COMPLETED,
                current_step=steps[rng.randrange(3)] if is_open else None,
                channel="online",
                applicant_name=f"Pemohon {n}",
                applicant_phone=f"+62812{n:08d}",
                data={"keperluan": "Keperluan keluarga", "tanggal": "2026-12-01", "jenis": "A"},
                submitted_at=submitted,
                due_date=(submitted + datetime.timedelta(days=7)).date(),
                completed_at=None if is_open else submitted + datetime.timedelta(days=3),
            )
        )
    with transaction.atomic():
        created = ServiceRequest.objects.bulk_create(batch_requests, batch_size=2000)
        tasks, events = [], []
        step_by_service = {service.pk: steps for service, steps in services}
        for req in created:
            steps = step_by_service[req.service_id]
            step = req.current_step or steps[2]
            is_open = req.status == RequestStatus.IN_PROGRESS
            holder = rng.choice(staff) if is_open and rng.random() < 0.3 else None
            tasks.append(
                Task(
                    request=req,
                    step=step,
                    unit=step.unit,
                    status="open" if is_open else "done",
                    assigned_to=holder,
                    created_at=req.submitted_at,
                    due_date=today + datetime.timedelta(days=rng.randint(-5, 10)),
                )
            )
            for k, kind in enumerate(("submitted", "started", "advanced")):
                events.append(
                    RequestEvent(
                        request=req,
                        kind=kind,
                        at=req.submitted_at + datetime.timedelta(hours=k),
                        from_status="" if k == 0 else "submitted",
                        to_status="submitted" if k == 0 else "in_progress",
                        step=steps[min(k, 2)],
                        acting_as="Pemohon" if k == 0 else "Staf",
                    )
                )
        Task.objects.bulk_create(tasks, batch_size=5000)
        RequestEvent.objects.bulk_create(events, batch_size=5000)
        RegistrationCounter.objects.create(office=office, year=year, last=REQUESTS)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return services, staff, created


def run():
    from rest_framework.test import APIClient

    from tests.factories import PDF_BYTES
    from workflow.models import Channel, RequestEvent, ServiceRequest, Task
    from workflow.services import service_request_submit

    services, staff, created = _seed()
    rows = [
        row(
            "seeded",
            n=ServiceRequest.objects.count(),
            note=f"{RequestEvent.objects.count()} events, "
            f"{Task.objects.filter(status='open').count()} open tasks",
        )
    ]

    from django.core.files.uploadedfile import SimpleUploadedFile

    def submit_service(i):
        service, _ = services[i % len(services)]
        service_request_submit(
            service=service,
            applicant={"name": "Siti Aminah", "phone": "0812-3456-7890", "nik": "3273015508900001"},
            data={"keperluan": "Umrah", "tanggal": "2026-12-01", "jenis": "B"},
            documents={"ktp": SimpleUploadedFile("ktp.pdf", PDF_BYTES)},
            channel=Channel.ONLINE,
        )

    rows.append(row("submit (service, 1 PDF)", timed(submit_service, 300)))

    client = APIClient()

    def submit_api(i):
        service, _ = services[i % len(services)]
        payload = {
            "service": service.code,
            "applicant": {"name": "Budi", "phone": "+62 812-1111-2222"},
            "data": {"keperluan": "Nikah", "tanggal": "2026-12-02", "jenis": "A"},
        }
        response = client.post(
            "/api/v1/requests/",
            {"payload": json.dumps(payload), "ktp": SimpleUploadedFile("ktp.pdf", PDF_BYTES)},
            format="multipart",
            headers={"Idempotency-Key": f"bench-{i}"},
        )
        assert response.status_code == 201, response.content

    rows.append(row("submit (API multipart, idempotency key)", timed(submit_api, 200)))

    supervisor = staff[0]
    staff_client = APIClient()
    staff_client.force_authenticate(supervisor)
    queue_size = staff_client.get("/api/v1/tasks/?scope=queue").json()["count"]

    def task_list(i):
        scope = "queue" if i % 2 else "mine"
        assert staff_client.get(f"/api/v1/tasks/?scope={scope}").status_code == 200

    rows.append(
        row("GET /api/v1/tasks/ (page of 50)", timed(task_list, 300), note=f"queue {queue_size}")
    )

    unit_numbers = list(
        ServiceRequest.objects.filter(service__unit__memberships__user=supervisor).values_list(
            "registration_number", flat=True
        )[:2000]
    )

    def detail(i):
        number = unit_numbers[rng.randrange(len(unit_numbers))]
        assert staff_client.get(f"/api/v1/requests/{number}/").status_code == 200

    rows.append(row("GET /api/v1/requests/{n}/ (staff)", timed(detail, 300)))

    public = APIClient()
    all_numbers = [r.registration_number for r in created]

    def track(i):
        number = all_numbers[rng.randrange(len(all_numbers))]
        response = public.get(f"/api/v1/track/{number}/")
        assert response.status_code == 200, response.status_code

    rows.append(row("GET /api/v1/track/{n}/ (public)", timed(track, 500)))

    def track_page(i):
        number = all_numbers[rng.randrange(len(all_numbers))]
        response = public.get(f"/cek-status/{number}/")
        assert response.status_code == 200, response.status_code

    rows.append(row("GET /cek-status/{n}/ (public page)", timed(track_page, 300)))
    return rows
