"""The demo account list tells the truth: `services` is exactly what each account works.

Every demo service is walked through all its steps; at each step every account's queue
(`GET /api/v1/tasks/?scope=queue`) is asked whether it shows the open task.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from services_catalog.demo import demo_accounts, demo_load
from services_catalog.models import ServiceType
from tests.factories import PDF_BYTES
from workflow.models import RequestStatus, Task
from workflow.services import service_request_submit, task_complete

pytestmark = pytest.mark.django_db

VALUES = {
    "text": "Contoh isian",
    "textarea": "Keterangan yang cukup panjang.",
    "number": "2",
    "date": "2026-12-01",
    "email": "pemohon@contoh.id",
    "phone": "081234567891",
}
APPLICANT = {"name": "Ahmad Pemohon", "phone": "081234567891", "nik": "1571010101900001"}
EMPLOYEE, SUPERIOR = "skp_owner", "skp_approver"  # KJB.pendma reports to KJB.kasi_pendma


def a_file(doc):
    if "application/pdf" in doc.content_types:
        return SimpleUploadedFile(f"{doc.code}.pdf", PDF_BYTES, "application/pdf")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile(f"{doc.code}.png", buffer.getvalue(), "image/png")


def queue_ids(client, user, scope) -> set[int]:
    """Every open task in the account's tab `scope`, all pages (all services at once)."""
    client.force_authenticate(user)
    ids, url, params = set(), "/api/v1/tasks/", {"scope": scope}
    while url:
        response = client.get(url, params)
        assert response.status_code == 200
        body = response.json()
        ids |= {row["id"] for row in body["results"]}
        url, params = body["next"], None
    return ids


def test_every_listed_service_is_in_that_accounts_queue_and_nothing_else(settings):
    settings.DEBUG = True
    demo_load()
    accounts = {a["username"]: a for a in demo_accounts()}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=accounts)}
    assert set(users) == set(accounts)
    client = APIClient()
    seen: dict[str, set[str]] = {name: set() for name in accounts}
    services = ServiceType.objects.active().prefetch_related("fields", "documents", "steps")
    # Every service is submitted at once and walked step by step in rounds: each round
    # asks every account's two tabs once (all services together), so each (account,
    # open task) pair is checked as when walking one service at a time.
    walks, internal = {}, 0
    for service in services:
        is_internal = service.audience == ServiceType.Audience.EMPLOYEES
        internal += is_internal
        request = service_request_submit(
            service=service,
            # An internal service: the employee skp_owner (KJB.pendma) applies herself.
            applicant={} if is_internal else APPLICANT,
            acting_user=users[EMPLOYEE] if is_internal else None,
            data={
                f.code: f.choices[0] if f.choices else VALUES[f.type] for f in service.fields.all()
            },
            documents={d.code: a_file(d) for d in service.documents.all() if d.required},
        )
        walks[request.pk] = (request, service, list(service.steps.all()))
    done = 0
    while any(done < len(steps) for _, _, steps in walks.values()):
        tabs = {
            (name, scope): queue_ids(client, user, scope)
            for name, user in users.items()
            for scope in ("queue", "mine")
        }
        for request, service, steps in walks.values():
            if done >= len(steps):
                continue
            step = steps[done]
            task = Task.objects.get(request=request, status=Task.Status.OPEN)
            assert task.step_id == step.pk
            # A step routed to a person (internal services) is theirs without claiming.
            scope = "queue" if step.route == step.Route.UNIT else "mine"
            workers = [n for n in users if task.pk in tabs[n, scope]]
            assert workers, f"nobody can work {service.code} step {step.order}"
            if step.route == step.Route.UNIT:
                for name in workers:
                    seen[name].add(service.code)
            else:
                # Routed by position, not unit: exactly her superior, or exactly herself.
                expected = SUPERIOR if step.route == step.Route.SUPERIOR else EMPLOYEE
                assert workers == [expected], (service.code, step.order)
            result = SimpleUploadedFile("hasil.pdf", PDF_BYTES, "application/pdf")
            task_complete(
                task=task,
                user=users[workers[0]],
                decision="approve",
                note="Laporan kegiatan terlampir." if step.route == step.Route.APPLICANT else "",
                result_file=result if step.produces_result else None,
            )
        done += 1
    for request, service, _ in walks.values():
        request.refresh_from_db()
        assert request.status == RequestStatus.COMPLETED, service.code
    assert internal == 4
    for name, account in accounts.items():
        assert seen[name] == set(account["services"]), name
    assert accounts["admin"]["services"] == []


def test_a_demo_service_takes_a_plain_json_submission(settings, api_client):
    settings.DEBUG = True
    demo_load()
    without_documents = [
        s for s in ServiceType.objects.public() if not s.documents.filter(required=True).exists()
    ]
    assert [s.code for s in without_documents] == ["informasi-publik"]
    service = without_documents[0]
    data = {f.code: f.choices[0] if f.choices else VALUES[f.type] for f in service.fields.all()}
    response = api_client.post(
        "/api/v1/requests/",
        {"service": service.code, "applicant": APPLICANT, "data": data},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"
