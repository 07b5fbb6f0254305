"""The public timeline has one definition (workflow/selectors_timeline.py) fed two ways:
from a loaded request (the applicant's page) and from the one-query lookup by number
(track API, status page, WhatsApp). Both must say exactly the same thing."""

import pytest

from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow import services
from workflow.models import Channel, Task
from workflow.selectors import public_timeline, public_timeline_by_number, request_by_number

pytestmark = pytest.mark.django_db


def submit(umrah, on_commit):
    with on_commit(execute=True):
        return services.service_request_submit(
            service=umrah,
            applicant={"name": "Siti Aminah", "phone": "081234567890"},
            data=umrah_data(),
            documents={"ktp": factories.pdf_upload()},
            channel=Channel.ONLINE,
        )


def open_task(request):
    return Task.objects.get(request=request, status=Task.Status.OPEN)


def both(request):
    by_number = public_timeline_by_number(request.registration_number)
    loaded = public_timeline(request_by_number(request.registration_key))
    return by_number, loaded


def test_every_stage_reads_the_same_both_ways(
    umrah, staff, tu_staff, django_capture_on_commit_callbacks, django_assert_num_queries
):
    request = submit(umrah, django_capture_on_commit_callbacks)
    seen = []
    by_number, loaded = both(request)
    assert by_number == loaded
    seen.append(by_number["status"])

    task = open_task(request)
    services.task_claim(task=task, user=staff)
    services.task_return(
        task=task, user=staff, note="internal: scan blur", public_note="Unggah ulang KTP"
    )
    request.refresh_from_db()
    by_number, loaded = both(request)
    assert by_number == loaded
    assert by_number["status_label"] == "Perlu perbaikan"
    # Only the published note reaches the public; the internal one never does.
    assert [e["note"] for e in by_number["history"]][-1] == "Unggah ulang KTP"
    assert "internal: scan blur" not in str(by_number)
    seen.append(by_number["status"])

    services.service_request_resubmit(
        request=request, data=umrah_data(), documents={"ktp": factories.pdf_upload()}
    )
    for _ in range(umrah.steps.count()):
        task = open_task(request)
        worker = tu_staff if task.step.unit_id != umrah.unit_id else staff
        result = factories.pdf_upload() if task.step.produces_result else None
        services.task_claim(task=task, user=worker)
        services.task_approve(task=task, user=worker, result_file=result)
    request.refresh_from_db()
    by_number, loaded = both(request)
    assert by_number == loaded
    assert by_number["status"] == "completed"
    assert [s["state"] for s in by_number["steps"]] == ["done"] * umrah.steps.count()
    assert by_number["history"][0]["at"] < by_number["history"][-1]["at"]
    seen.append(by_number["status"])
    assert seen == ["submitted", "needs_info", "completed"]

    with django_assert_num_queries(1):
        public_timeline_by_number(request.registration_number.lower().replace("-", " "))


def test_an_unknown_number_is_none(db):
    assert public_timeline_by_number("KJB-2099-99999-X") is None
