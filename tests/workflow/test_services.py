"""The lifecycle services: each transition, its history row and its signal."""

import pytest

from config.exceptions import ApplicationError, Conflict, Forbidden, NotFound, PayloadTooLarge
from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow import services
from workflow.models import Channel, Document, RequestEvent, ServiceRequest, Task
from workflow.signals import request_transitioned

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    seen = []

    def listener(sender, request, event, task, **kwargs):
        seen.append((event.kind, request.status, task.pk if task else None))

    request_transitioned.connect(listener)
    yield seen
    request_transitioned.disconnect(listener)


def submit(service, **kwargs):
    kwargs.setdefault("data", umrah_data())
    return factories.submit_request(service, **kwargs)


def counts():
    return (
        ServiceRequest.objects.count(),
        Task.objects.count(),
        Document.objects.count(),
        RequestEvent.objects.count(),
    )


def test_submit_creates_request_task_document_and_history(umrah, announced):
    req = submit(umrah)
    assert req.status == "submitted"
    assert req.registration_number.startswith("KJB-")
    assert req.registration_key == req.registration_number.replace("-", "")
    assert req.applicant_phone == "+6281234567890"
    assert req.current_step.order == 1
    assert req.due_date > req.submitted_at.date()
    task = req.tasks.get()
    assert (task.status, task.step.order, task.unit) == ("open", 1, umrah.unit)
    doc = req.documents.get()
    assert (doc.code, doc.content_type, doc.superseded) == ("ktp", "application/pdf", False)
    assert doc.file.name.startswith("documents/") and doc.file.name.endswith(".pdf")
    event = req.events.get()
    assert (event.kind, event.from_status, event.to_status, event.is_transition) == (
        "submitted",
        "",
        "submitted",
        True,
    )
    assert announced == [("submitted", "submitted", task.pk)]


def test_status_cannot_be_set_directly(umrah):
    req = submit(umrah)
    with pytest.raises(AttributeError):
        req.status = "completed"


def test_invalid_submission_writes_nothing(umrah, private_media):
    before = counts()
    with pytest.raises(ApplicationError) as exc:
        submit(
            umrah,
            data={"nama_ppiu": "", "tanggal_berangkat": "20-12-2026", "jenis_kelamin": "X"},
            documents={},
            applicant={"name": "", "phone": "12", "nik": "123"},
        )
    errors = exc.value.field_errors
    assert set(errors) >= {
        "nama_ppiu",
        "tanggal_berangkat",
        "jenis_kelamin",
        "ktp",
        "applicant.name",
        "applicant.phone",
        "applicant.nik",
    }
    assert counts() == before
    assert not private_media.exists() or not any(p.is_file() for p in private_media.rglob("*"))


def test_oversized_document_is_413(umrah):
    umrah.documents.filter(code="ktp").update(max_bytes=10)
    before = counts()
    with pytest.raises(PayloadTooLarge) as exc:
        submit(umrah)
    assert "ktp" in exc.value.field_errors
    assert counts() == before


def test_content_type_is_sniffed_not_taken_from_the_name(umrah):
    fake = factories.pdf_upload(name="ktp.pdf", content=b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ApplicationError) as exc:
        submit(umrah, documents={"ktp": fake})
    assert "ktp" in exc.value.field_errors


def test_counter_submission_needs_a_clerk(umrah, clerk, staff):
    req = submit(umrah, channel=Channel.COUNTER, acting_user=clerk)
    assert (req.channel, req.submitted_by) == ("counter", clerk)
    with pytest.raises(Forbidden):
        submit(umrah, channel=Channel.COUNTER, acting_user=staff)


def test_first_claim_starts_the_request_later_claims_do_not(umrah, staff, staff2, announced):
    req = submit(umrah)
    task = req.tasks.get()
    services.task_claim(task=task, user=staff)
    req.refresh_from_db()
    assert req.status == "in_progress"
    services.task_release(task=task, user=staff)
    services.task_claim(task=task, user=staff2)
    kinds = list(req.events.values_list("kind", "is_transition"))
    assert kinds == [
        ("submitted", True),
        ("claimed", False),
        ("started", True),
        ("released", False),
        ("claimed", False),
    ]
    assert [k for k, *_ in announced] == ["submitted", "started"]


def test_claim_taken_by_someone_else_is_409(umrah, staff, staff2):
    task = submit(umrah).tasks.get()
    services.task_claim(task=task, user=staff)
    with pytest.raises(Conflict):
        services.task_claim(task=task, user=staff2)
    with pytest.raises(Conflict):
        services.task_complete(task=task, user=staff2, decision="approve")


def test_staff_of_another_unit_cannot_touch_the_task(umrah, outsider):
    task = submit(umrah).tasks.get()
    for call in (
        lambda: services.task_claim(task=task, user=outsider),
        lambda: services.task_complete(task=task, user=outsider, decision="approve"),
        lambda: services.task_assign(task=task, assignee=outsider, user=outsider),
    ):
        with pytest.raises(NotFound):
            call()


def test_assign_is_for_supervisors_and_staff_of_the_unit(
    umrah, staff, staff2, supervisor, outsider
):
    req = submit(umrah)
    task = req.tasks.get()
    with pytest.raises(Forbidden):
        services.task_assign(task=task, assignee=staff2, user=staff)
    with pytest.raises(ApplicationError) as exc:
        services.task_assign(task=task, assignee=outsider, user=supervisor)
    assert "user" in exc.value.field_errors
    services.task_assign(task=task, assignee=staff2, user=supervisor)
    task.refresh_from_db()
    req.refresh_from_db()
    assert task.assigned_to == staff2 and req.status == "in_progress"


def test_walk_to_completion_with_result(umrah, staff, tu_staff, announced):
    req = submit(umrah)
    services.task_complete(task=req.tasks.get(step__order=1), user=staff, decision="approve")
    services.task_complete(task=req.tasks.get(step__order=2), user=staff, decision="approve")
    last = req.tasks.get(step__order=3)
    assert last.unit == tu_staff.memberships.get().unit
    with pytest.raises(ApplicationError) as exc:
        services.task_complete(task=last, user=tu_staff, decision="approve")
    assert "result" in exc.value.field_errors
    services.task_complete(
        task=last, user=tu_staff, decision="approve", result_file=factories.pdf_upload()
    )
    req.refresh_from_db()
    assert req.status == "completed" and req.current_step is None and req.completed_at
    assert req.result_document.name.startswith("results/")
    transitions = list(req.events.filter(is_transition=True).values_list("kind", flat=True))
    assert transitions == ["submitted", "started", "advanced", "advanced", "completed"]
    assert [k for k, *_ in announced] == transitions
    with pytest.raises(Conflict):
        services.task_complete(task=last, user=tu_staff, decision="approve")


def test_return_needs_a_note_and_a_step_that_may_return(umrah, staff):
    req = submit(umrah)
    task = req.tasks.get()
    with pytest.raises(ApplicationError) as exc:
        services.task_complete(task=task, user=staff, decision="return", note=" ")
    assert "note" in exc.value.field_errors
    with pytest.raises(ApplicationError):
        services.task_complete(task=task, user=staff, decision="reject")
    services.task_complete(task=task, user=staff, decision="approve")
    second = req.tasks.get(step__order=2)
    with pytest.raises(ApplicationError) as exc:
        services.task_complete(task=second, user=staff, decision="return", note="kurang")
    assert "decision" in exc.value.field_errors
    second.refresh_from_db()
    assert second.status == "open"


def test_return_resubmit_reject(umrah, staff, private_media):
    req = submit(umrah)
    task = req.tasks.get()
    services.task_complete(
        task=task,
        user=staff,
        decision="return",
        note="KTP buram, unggah ulang",
        correction_codes=["ktp"],
    )
    req.refresh_from_db()
    assert req.status == "needs_info" and req.correction_codes == ["ktp"]
    assert not req.tasks.filter(status="open").exists()
    # only what the office asked for may change
    with pytest.raises(ApplicationError) as exc:
        services.service_request_resubmit(
            request=req, data={"nama_ppiu": "PT Lain"}, documents={"ktp": factories.pdf_upload()}
        )
    assert "nama_ppiu" in exc.value.field_errors
    services.service_request_resubmit(
        request=req, data={}, documents={"ktp": factories.pdf_upload("ktp2.pdf")}
    )
    req.refresh_from_db()
    assert req.status == "in_progress" and req.current_step.order == 1
    assert req.correction_codes == []
    assert list(req.documents.values_list("original_name", "superseded")) == [
        ("ktp2.pdf", False),
        ("berkas.pdf", True),
    ]
    new_task = req.tasks.get(status="open")
    assert new_task.step.order == 1 and new_task.pk != task.pk
    services.task_complete(task=new_task, user=staff, decision="reject", note="Tidak memenuhi")
    req.refresh_from_db()
    assert req.status == "rejected"
    kinds = list(req.events.filter(is_transition=True).values_list("kind", flat=True))
    assert kinds == ["submitted", "started", "returned", "resubmitted", "rejected"]
    with pytest.raises(Conflict):
        services.service_request_resubmit(request=req, data={}, documents={})
    with pytest.raises(Conflict):
        services.service_request_cancel(request=req)


def test_resubmit_only_when_returned(umrah):
    req = submit(umrah)
    status, events = req.status, req.events.count()
    with pytest.raises(Conflict) as refused:
        services.service_request_resubmit(request=req, data={}, documents={})
    assert str(refused.value.message) == (
        "Hanya permohonan yang dikembalikan untuk perbaikan yang dapat diajukan ulang."
    )
    req.refresh_from_db()
    assert req.status == status
    assert req.events.count() == events


def test_cancel_before_completion_cancels_the_open_task(umrah, announced):
    req = submit(umrah)
    services.service_request_cancel(request=req, note="Tidak jadi")
    req.refresh_from_db()
    assert req.status == "cancelled"
    assert req.tasks.get().status == "cancelled"
    assert req.events.last().kind == "cancelled"


def test_refused_resubmission_changes_nothing(umrah, staff, private_media):
    req = submit(umrah)
    services.task_complete(task=req.tasks.get(), user=staff, decision="return", note="KTP")
    files_before = sorted(p for p in private_media.rglob("*") if p.is_file())
    before = counts()
    bad = factories.pdf_upload("ktp.pdf", content=b"not a pdf")
    with pytest.raises(ApplicationError) as exc:
        services.service_request_resubmit(request=req, data={}, documents={"ktp": bad})
    assert "ktp" in exc.value.field_errors
    umrah.documents.filter(code="ktp").update(max_bytes=5)
    with pytest.raises(PayloadTooLarge):
        services.service_request_resubmit(
            request=req, data={}, documents={"ktp": factories.pdf_upload()}
        )
    with pytest.raises(ApplicationError) as exc:
        services.service_request_resubmit(
            request=req, data={"tanggal_berangkat": "kemarin"}, documents={}
        )
    assert "tanggal_berangkat" in exc.value.field_errors
    req.refresh_from_db()
    assert req.status == "needs_info" and counts() == before
    assert list(req.documents.values_list("superseded", flat=True)) == [False]
    assert sorted(p for p in private_media.rglob("*") if p.is_file()) == files_before


def test_a_failure_after_files_were_written_removes_them(umrah, private_media, monkeypatch):
    """A database error late in the transaction rolls back and deletes the stored upload."""

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    from workflow.services import requests as request_services

    monkeypatch.setattr(request_services, "open_task", broken)
    before = counts()
    with pytest.raises(RuntimeError):
        submit(umrah)
    assert counts() == before
    assert [p for p in private_media.rglob("*") if p.is_file()] == []
