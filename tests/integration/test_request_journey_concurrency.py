"""Concurrency against the real PostgreSQL, with real threads (each its own connection)."""

import threading

import pytest
from django.core.cache import cache
from django.db import connection

from config.exceptions import Conflict
from tests import factories
from tests.workflow.fixtures import post_submission, umrah_data
from workflow import services
from workflow.models import IdempotencyKey, RequestEvent, ServiceRequest, Task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def run_together(*calls):
    """Run the callables at the same moment in threads; return their results/exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_staff_completing_the_same_task_make_one_transition(umrah, staff, staff2):
    req = factories.submit_request(umrah, data=umrah_data())
    services.task_claim(task=req.tasks.get(), user=staff)
    services.task_release(task=req.tasks.get(), user=staff)
    task = req.tasks.get()
    before = RequestEvent.objects.filter(is_transition=True).count()

    results = run_together(
        lambda: services.task_complete(task=task, user=staff, decision="approve"),
        lambda: services.task_complete(task=task, user=staff2, decision="approve"),
    )
    winners = [r for r in results if isinstance(r, ServiceRequest)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert RequestEvent.objects.filter(is_transition=True).count() == before + 1
    assert RequestEvent.objects.filter(kind="advanced").count() == 1
    assert Task.objects.filter(request=req, step__order=2).count() == 1
    assert Task.objects.get(pk=task.pk).status == "done"


def test_two_staff_completing_through_the_api_one_gets_409(umrah, staff, staff2):
    from rest_framework.test import APIClient

    req = factories.submit_request(umrah, data=umrah_data())
    task = req.tasks.get()

    def complete_as(user):
        client = APIClient()
        client.force_authenticate(user)
        return client.post(
            f"/api/v1/tasks/{task.pk}/complete/",
            {"decision": "reject", "note": "berkas palsu"},
            format="json",
        ).status_code

    codes = run_together(lambda: complete_as(staff), lambda: complete_as(staff2))
    assert sorted(codes) == [200, 409]
    assert RequestEvent.objects.filter(kind="rejected").count() == 1
    assert RequestEvent.objects.filter(kind="started").count() == 1


def test_concurrent_claims_one_wins(umrah, staff, staff2):
    task = factories.submit_request(umrah, data=umrah_data()).tasks.get()
    results = run_together(
        lambda: services.task_claim(task=task, user=staff),
        lambda: services.task_claim(task=task, user=staff2),
    )
    assert sum(isinstance(r, Task) for r in results) == 1
    assert sum(isinstance(r, Conflict) for r in results) == 1
    assert RequestEvent.objects.filter(kind="claimed").count() == 1
    assert RequestEvent.objects.filter(kind="started").count() == 1


def test_double_clicked_submit_with_one_idempotency_key_creates_one_request(umrah):
    from rest_framework.test import APIClient

    def click():
        response = post_submission(APIClient(), **{"Idempotency-Key": "dobel-klik"})
        return response.status_code, response.json()

    results = run_together(*(click for _ in range(4)))
    assert ServiceRequest.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1
    created = [body for code, body in results if code == 201]
    assert {code for code, _ in results} <= {201, 409}
    assert created and all(body == created[0] for body in created)
    assert created[0]["registration_number"] == ServiceRequest.objects.get().registration_number


def test_concurrent_submissions_get_sequential_numbers(umrah):
    n = 12
    results = run_together(
        *(lambda: factories.submit_request(umrah, data=umrah_data()) for _ in range(n))
    )
    assert all(isinstance(r, ServiceRequest) for r in results), results
    sequences = sorted(
        int(number.split("-")[2])
        for number in ServiceRequest.objects.values_list("registration_number", flat=True)
    )
    assert sequences == list(range(1, n + 1))
