"""Staff task API, request detail, applicant endpoints, object-level permissions."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow import services
from workflow.models import RequestEvent, Task

pytestmark = pytest.mark.django_db


def new_request(service):
    return factories.submit_request(service, data=umrah_data())


def test_task_list_fields_and_scopes(api_client, umrah, staff):
    req = new_request(umrah)
    api_client.force_authenticate(staff)
    body = api_client.get("/api/v1/tasks/?scope=queue").json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    task = body["results"][0]
    assert set(task) == {
        "id",
        "registration_number",
        "service",
        "step",
        "assigned_to",
        "created_at",
        "due_date",
        "overdue",
    }
    assert task["registration_number"] == req.registration_number
    assert task["service"] == "rekomendasi-paspor-umrah"
    assert task["step"] == {"order": 1, "name": "Verifikasi berkas"}
    assert (task["assigned_to"], task["overdue"]) == (None, False)
    assert api_client.get("/api/v1/tasks/?scope=mine").json()["count"] == 0
    response = api_client.post(f"/api/v1/tasks/{task['id']}/claim/")
    assert response.status_code == 200 and response.json()["assigned_to"] == "petugas_phu"
    assert api_client.get("/api/v1/tasks/?scope=mine").json()["count"] == 1
    assert api_client.get("/api/v1/tasks/?scope=queue").json()["count"] == 0
    assert api_client.get("/api/v1/tasks/?scope=all").status_code == 400


def test_task_list_filters_and_due_date_order(api_client, umrah, staff):
    first, second, third = (new_request(umrah) for _ in range(3))
    Task.objects.filter(request=first).update(due_date=timezone.localdate().replace(year=2030))
    Task.objects.filter(request=second).update(due_date=timezone.localdate().replace(year=2020))
    api_client.force_authenticate(staff)
    numbers = [
        t["registration_number"]
        for t in api_client.get("/api/v1/tasks/?scope=queue").json()["results"]
    ]
    assert numbers == [
        second.registration_number,
        third.registration_number,
        first.registration_number,
    ]
    overdue = api_client.get("/api/v1/tasks/?scope=queue&overdue=true").json()["results"]
    assert [t["registration_number"] for t in overdue] == [second.registration_number]
    assert overdue[0]["overdue"] is True
    assert api_client.get("/api/v1/tasks/?scope=queue&step=2").json()["count"] == 0
    assert api_client.get("/api/v1/tasks/?scope=queue&step=1").json()["count"] == 3
    assert api_client.get("/api/v1/tasks/?scope=queue&service=lain").json()["count"] == 0


def test_claim_taken_is_409_and_release_assign(api_client, umrah, staff, staff2, supervisor):
    task = new_request(umrah).tasks.get()
    api_client.force_authenticate(staff)
    assert api_client.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 200
    api_client.force_authenticate(staff2)
    assert api_client.post(f"/api/v1/tasks/{task.pk}/claim/").status_code == 409
    assert api_client.post(f"/api/v1/tasks/{task.pk}/release/").status_code == 403
    assert (
        api_client.post(f"/api/v1/tasks/{task.pk}/assign/", {"user": "petugas_phu2"}).status_code
        == 403
    )
    api_client.force_authenticate(supervisor)
    response = api_client.post(
        f"/api/v1/tasks/{task.pk}/assign/", {"user": "petugas_phu2"}, format="json"
    )
    assert response.status_code == 200 and response.json()["assigned_to"] == "petugas_phu2"
    response = api_client.post(f"/api/v1/tasks/{task.pk}/assign/", {"user": "nobody"})
    assert response.status_code == 400 and "user" in response.json()
    api_client.force_authenticate(staff2)
    assert api_client.post(f"/api/v1/tasks/{task.pk}/release/").status_code == 200
    assert api_client.post(f"/api/v1/tasks/{task.pk}/release/").status_code == 409
    staff_side = list(
        RequestEvent.objects.filter(is_transition=False).values_list("kind", flat=True)
    )
    assert staff_side == ["claimed", "assigned", "released"]


def test_complete_validation(api_client, umrah, staff):
    task = new_request(umrah).tasks.get()
    api_client.force_authenticate(staff)
    url = f"/api/v1/tasks/{task.pk}/complete/"
    assert api_client.post(url, {"decision": "maybe"}, format="json").status_code == 400
    response = api_client.post(url, {"decision": "return"}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = api_client.post(url, {"decision": "reject", "note": ""}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = api_client.post(
        url, {"decision": "return", "note": "x", "correction_codes": ["zzz"]}, format="json"
    )
    assert response.status_code == 400 and "correction_codes" in response.json()
    task.refresh_from_db()
    assert task.status == "open" and task.assigned_to is None
    assert RequestEvent.objects.count() == 1


def test_result_upload_required_for_the_producing_step(api_client, umrah, staff, tu_staff):
    req = new_request(umrah)
    api_client.force_authenticate(staff)
    for order in (1, 2):
        task = req.tasks.get(step__order=order)
        response = api_client.post(
            f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"}, format="json"
        )
        assert response.status_code == 200
    last = req.tasks.get(step__order=3)
    api_client.force_authenticate(tu_staff)
    url = f"/api/v1/tasks/{last.pk}/complete/"
    response = api_client.post(url, {"decision": "approve"}, format="json")
    assert response.status_code == 400 and "result" in response.json()
    bad = factories.pdf_upload("hasil.pdf", content=b"plain text")
    response = api_client.post(url, {"decision": "approve", "result": bad}, format="multipart")
    assert response.status_code == 400 and "result" in response.json()
    good = factories.pdf_upload("hasil.pdf")
    response = api_client.post(url, {"decision": "approve", "result": good}, format="multipart")
    assert response.status_code == 200 and response.json()["status"] == "completed"


def test_detail_for_staff_and_applicant(api_client, umrah, staff):
    req = new_request(umrah)
    url = f"/api/v1/requests/{req.registration_number}/"
    assert api_client.get(url).status_code == 401
    assert api_client.get(url, headers={"X-Access-Token": "salah"}).status_code == 404
    applicant = api_client.get(url, headers={"X-Access-Token": req.access_token}).json()
    assert applicant["applicant"]["phone"] == "+6281234567890"
    assert [d["code"] for d in applicant["data"]] == [
        "nama_ppiu",
        "tanggal_berangkat",
        "jenis_kelamin",
    ]
    assert all("actor" not in h for h in applicant["history"])
    doc_url = applicant["documents"][0]["url"]
    download = api_client.get(doc_url, headers={"X-Access-Token": req.access_token})
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == factories.PDF_BYTES
    assert api_client.get(doc_url).status_code == 401
    api_client.force_authenticate(staff)
    services_claim = api_client.post(f"/api/v1/tasks/{req.tasks.get().pk}/claim/")
    assert services_claim.status_code == 200
    typed = req.registration_number.lower().replace("-", "")
    staff_view = api_client.get(f"/api/v1/requests/{typed}/").json()
    assert [h["kind"] for h in staff_view["history"]] == ["submitted", "claimed", "started"]
    assert staff_view["history"][1]["actor"] == "petugas_phu"
    assert staff_view["open_task"]["assigned_to"] == "petugas_phu"
    assert api_client.get(doc_url).status_code == 200


def test_applicant_resubmit_and_cancel(api_client, umrah, staff):
    req = new_request(umrah)
    base = f"/api/v1/requests/{req.registration_number}"
    token = {"X-Access-Token": req.access_token}
    assert (
        api_client.post(f"{base}/resubmit/", {"data": {}}, format="json", headers=token).status_code
        == 409
    )
    services.task_complete(
        task=req.tasks.get(),
        user=staff,
        decision="return",
        note="Nama PPIU salah",
        correction_codes=["nama_ppiu"],
    )
    response = api_client.post(
        f"{base}/resubmit/",
        {"data": {"nama_ppiu": "PT Amanah"}, "applicant": {"name": "Orang lain"}},
        format="json",
        headers=token,
    )
    assert response.status_code == 400 and "applicant" in response.json()
    response = api_client.post(
        f"{base}/resubmit/", {"data": {"nama_ppiu": "PT Amanah Wisata"}}, format="json"
    )
    assert response.status_code == 401
    response = api_client.post(
        f"{base}/resubmit/",
        {"data": {"nama_ppiu": "PT Amanah Wisata"}},
        format="json",
        headers=token,
    )
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    response = api_client.post(f"{base}/cancel/", {"note": "batal"}, format="json", headers=token)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert api_client.post(f"{base}/cancel/", {}, format="json", headers=token).status_code == 409
    assert api_client.get(f"{base}/result/", headers=token).status_code == 404


def test_every_endpoint_refuses_another_unit_and_anonymous(api_client, umrah, outsider):
    req = new_request(umrah)
    task = req.tasks.get()
    doc = req.documents.get()
    number = req.registration_number
    endpoints = [
        ("get", "/api/v1/tasks/?scope=queue", None),
        ("get", "/api/v1/tasks/?scope=mine", None),
        ("post", f"/api/v1/tasks/{task.pk}/claim/", None),
        ("post", f"/api/v1/tasks/{task.pk}/release/", None),
        ("post", f"/api/v1/tasks/{task.pk}/assign/", {"user": "orang_lain"}),
        ("post", f"/api/v1/tasks/{task.pk}/complete/", {"decision": "approve"}),
        ("get", f"/api/v1/requests/{number}/", None),
        ("get", f"/api/v1/requests/{number}/result/", None),
        ("get", f"/api/v1/requests/{number}/documents/{doc.pk}/", None),
        ("post", f"/api/v1/requests/{number}/resubmit/", {"data": {}}),
        ("post", f"/api/v1/requests/{number}/cancel/", {}),
    ]
    for method, url, data in endpoints:
        api_client.force_authenticate(None)
        anonymous = getattr(api_client, method)(url, data, format="json")
        assert anonymous.status_code == 401, (url, anonymous.status_code)
        api_client.force_authenticate(outsider)
        other = getattr(api_client, method)(url, data, format="json")
        if url.startswith("/api/v1/tasks/?"):
            assert other.status_code == 200 and other.json()["count"] == 0
        else:
            assert other.status_code in (401, 403, 404), (url, other.status_code)
    task.refresh_from_db()
    req.refresh_from_db()
    assert (task.status, task.assigned_to, req.status) == ("open", None, "submitted")
    assert RequestEvent.objects.count() == 1


@pytest.mark.parametrize("n", [1, 50])
def test_task_list_and_detail_use_a_constant_number_of_queries(
    api_client, umrah, staff, django_assert_num_queries, n
):
    requests = [new_request(umrah) for _ in range(2 * n)]
    for req in requests[:n]:
        services.task_claim(task=req.tasks.get(), user=staff)
    api_client.force_authenticate(staff)
    # the user's reach (units, groups, positions acted for: one query), the tab counts
    # (then kept in Redis until a task of the unit changes: workflow/queue_cache.py), page
    with django_assert_num_queries(3):
        body = api_client.get("/api/v1/tasks/?scope=queue").json()
    assert body["count"] == n
    with django_assert_num_queries(2):
        body = api_client.get("/api/v1/tasks/?scope=mine").json()
    assert body["count"] == n
    with django_assert_num_queries(2):
        body = api_client.get("/api/v1/tasks/?scope=queue&page=1").json()
    assert body["count"] == n and len(body["results"]) == n
    # filtered: the tab's own count, read afresh
    with django_assert_num_queries(3):
        body = api_client.get("/api/v1/tasks/?scope=queue&service=" + umrah.code).json()
    assert body["count"] == n
    with django_assert_num_queries(8):
        detail = api_client.get(f"/api/v1/requests/{requests[-1].registration_number}/")
    assert detail.status_code == 200


def test_a_task_as_listed_is_exactly_what_its_schema_serializer_would_give(
    api_client, umrah, staff
):
    """task_summary builds JSON values directly (the queue's hot path); TaskOutput is its
    schema. Same output, claimed and overdue fields included."""
    from workflow.api import task_summary
    from workflow.api_serializers import TaskOutput

    task = Task.objects.get(request=new_request(umrah))
    services.task_claim(task=task, user=staff)
    Task.objects.filter(pk=task.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    task = Task.objects.select_related("request__service", "step", "assigned_to").get(pk=task.pk)
    summary = task_summary(task)
    assert summary == dict(TaskOutput(summary).data)  # the schema's shape, nothing more
    # ...and its values, each formatted by the serializer from the task's own values
    expected = TaskOutput(
        {
            "id": task.pk,
            "registration_number": task.request.registration_number,
            "service": task.request.service.code,
            "step": {"order": task.step.order, "name": task.step.name},
            "assigned_to": "petugas_phu",
            "created_at": task.created_at,
            "due_date": task.due_date,
            "overdue": True,
        }
    ).data
    assert summary == dict(expected)
    # the list reads plain values (workflow.selectors_queue.QueueRow): the same answer
    api_client.force_authenticate(staff)
    assert api_client.get("/api/v1/tasks/?scope=mine").json()["results"] == [summary]


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 12, 1, 23, 59, 59, 123456, tzinfo=UTC),
        datetime(2026, 12, 1, 17, 0, tzinfo=UTC),  # midnight in Jakarta
        datetime(2026, 6, 1, 8, 30, tzinfo=ZoneInfo("Asia/Makassar")),
        datetime(2026, 6, 1, 8, 30),  # naive: DRF's own handling
        "2026-06-01T08:30:00Z",
    ],
)
@pytest.mark.parametrize("zone", ["Asia/Jakarta", "UTC"])
def test_times_are_formatted_as_drf_formats_them(value, zone):
    from rest_framework.fields import DateTimeField

    from workflow.api import dt

    with timezone.override(zone):
        assert dt(value) == DateTimeField().to_representation(value)
