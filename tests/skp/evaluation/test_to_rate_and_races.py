"""The pejabat penilai's "to evaluate" list in constant queries (1 and 30 subordinates),
and rate/return at the same moment from two connections: one wins, the other 409."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.exceptions import Conflict
from skp import services_evaluation
from skp.models import Skp
from skp.models_evaluation import Evaluation, EvaluationEvent
from skp.models_realisation import UmpanBalik
from tests import factories
from tests.skp.conftest import YEAR, client_for
from tests.skp.evaluation.orgtree import approved_skp, staff

Q1 = f"{YEAR}-Q1"


def subordinates_submitted(unit, head_pos, n, start=0):
    for i in range(start, start + n):
        position, employee = staff(unit, f"Staf {i}", superior=head_pos)
        skp = approved_skp(employee, position)
        Evaluation.objects.create(skp=skp, period=Q1, kind="quarter", status="submitted")


@pytest.mark.django_db
def test_to_rate_list_in_constant_queries():
    unit = factories.UnitFactory()
    head_pos, head = staff(unit, "Kepala Seksi", superior=None, kind="pengawas", username="kasi")
    client = client_for(head.user)
    counts = {}
    for size, more in [(1, 1), (30, 29)]:
        subordinates_submitted(unit, head_pos, more, start=size - more)
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/evaluations/to-rate/").json()
        assert body["count"] == size
        counts[size] = len(queries)
    assert counts[1] == counts[30], counts
    assert body["results"][0]["period"] == Q1 and body["results"][0]["status"] == "submitted"
    # the page lists the same in the same number of queries
    client.force_login(head.user)
    client.get("/staf/skp/evaluasi/nilai/")  # the first page of a session costs its setup
    page_counts = {}
    for size, more in [(30, 0), (31, 1)]:
        subordinates_submitted(unit, head_pos, more, start=30)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staf/skp/evaluasi/nilai/").status_code == 200
        page_counts[size] = len(queries)
    assert page_counts[30] == page_counts[31], page_counts


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            call()
            outcomes[i] = "ok"
        except Conflict:
            outcomes[i] = "conflict"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion
            outcomes[i] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_rate_and_return_one_wins(attempt):
    unit = factories.UnitFactory()
    head_pos, head = staff(unit, "Kepala Seksi", superior=None, kind="pengawas", username="kasi")
    position, employee = staff(unit, "Staf", superior=head_pos, username="staf")
    skp = approved_skp(employee, position)
    evaluation = Evaluation.objects.create(skp=skp, period=Q1, kind="quarter", status="submitted")
    UmpanBalik.objects.create(
        skp=skp, period=Q1, rhk=skp.rhks.first(), text="ok", author=head, author_name=head.name
    )
    skp = Skp.objects.get(pk=skp.pk)
    outcomes = _race(
        lambda: services_evaluation.evaluation_rate(
            skp=skp, user=head.user, period=Q1, rating_hasil_kerja=2, rating_perilaku=2
        ),
        lambda: services_evaluation.evaluation_return(
            skp=skp, user=head.user, period=Q1, note="Lengkapi"
        ),
    )
    assert sorted(outcomes) == ["conflict", "ok"], outcomes
    evaluation.refresh_from_db()
    events = EvaluationEvent.objects.filter(evaluation=evaluation)
    assert events.count() == 1
    assert evaluation.status == events.get().to_status
