"""The write paths cost a fixed number of queries (#11): a submission (JSON, or multipart
with a document) and a staff approval, however many form fields, documents and steps the
service has. The counts are what the profile left after removing the avoidable reads
(docs/PERFORMANCE.md); a change that adds a query per field, per step or per message
shows here first."""

import json

import pytest

from tests import factories
from tests.workflow.fixtures import post_submission, submission
from workflow.models import RequestEvent, Task

pytestmark = pytest.mark.django_db

# The number, the request, the task, viewflow's process with its start task, the step's
# task and its timer in one INSERT and their two links in one more, the history row, the
# outbox row (one INSERT ... ON CONFLICT), and the submission's savepoint; a document
# adds its row. The catalogue entry and the message texts come from this process's
# copies (one Redis read each, no query). Inside the test's transaction: the
# after-commit hand-over to Celery does not run here.
SUBMIT_JSON_QUERIES = 11
SUBMIT_MULTIPART_QUERIES = 12
# The lock and its reads, the staff row and `started` with its message, the task
# claimed and closed in one update, the next step and its task, the request saved once,
# viewflow's move (its waiting task with the process, the outcome, the step closed, its
# timer cancelled in one conditional update, `route` without a savepoint, the next step
# and its timer in one INSERT, their links in one more), `advanced` and its message.
# The answer is built from the rows the decision saved (no read after it).
APPROVE_QUERIES = 25


def _grow(service):
    """Three more fields, documents and a step: none may cost a query of its own."""
    for i in range(3):
        factories.FormFieldFactory(
            service=service, code=f"extra_{i}", label=f"Extra {i}", required=False, order=10 + i
        )
        factories.RequiredDocumentFactory(
            service=service, code=f"lampiran_{i}", label=f"Lampiran {i}", required=False
        )
    factories.StepFactory(service=service, order=4, name="Arsip", unit=service.unit)


@pytest.mark.parametrize("grown", [False, True], ids=["service", "larger service"])
def test_json_submission_costs_a_fixed_number_of_queries(
    api_client, umrah, grown, django_assert_num_queries
):
    umrah.documents.update(required=False)
    if grown:
        _grow(umrah)
    body = json.dumps(submission())
    # The first submission of a process warms what is cached per process (content types).
    assert (
        api_client.post("/api/v1/requests/", body, content_type="application/json").status_code
        == 201
    )
    with django_assert_num_queries(SUBMIT_JSON_QUERIES):
        response = api_client.post("/api/v1/requests/", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert RequestEvent.objects.filter(kind="submitted").count() == 2


@pytest.mark.parametrize("grown", [False, True], ids=["service", "larger service"])
def test_multipart_submission_costs_a_fixed_number_of_queries(
    api_client, umrah, grown, django_assert_num_queries
):
    if grown:
        _grow(umrah)
    assert post_submission(api_client).status_code == 201
    with django_assert_num_queries(SUBMIT_MULTIPART_QUERIES):
        response = post_submission(api_client)
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize("grown", [False, True], ids=["service", "larger service"])
def test_approval_costs_a_fixed_number_of_queries(
    api_client, umrah, staff, grown, django_assert_num_queries
):
    if grown:
        _grow(umrah)
    first, second = factories.submit_request(umrah), factories.submit_request(umrah)
    api_client.force_authenticate(staff)
    approve = {"decision": "approve", "note": ""}
    warm = Task.objects.get(request=first)
    assert (
        api_client.post(f"/api/v1/tasks/{warm.pk}/complete/", approve, format="json").status_code
        == 200
    )
    task = Task.objects.get(request=second)
    with django_assert_num_queries(APPROVE_QUERIES):
        response = api_client.post(f"/api/v1/tasks/{task.pk}/complete/", approve, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["current_step"]["order"] == 2 and body["task"]["assigned_to"] == "petugas_phu"
    assert Task.objects.filter(request=second, status="open").get().step.order == 2
