"""Approve and return at the same moment, from two real threads (two PostgreSQL
connections): exactly one wins, the other gets a Conflict (409), one history row."""

import threading

import pytest
from django.db import connection

from config.exceptions import Conflict
from skp import services
from skp.models import Skp, SkpEvent
from tests.skp.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


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
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            outcomes[i] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_approve_and_return_one_wins(org, submitted_skp, attempt):
    skp = Skp.objects.get(pk=submitted_skp)
    user = org.head.user
    outcomes = _race(
        lambda: services.skp_approve(skp=skp, user=user),
        lambda: services.skp_return(skp=skp, user=user, note="Perbaiki target"),
    )
    assert sorted(outcomes) == ["conflict", "ok"], outcomes
    skp.refresh_from_db()
    decided = SkpEvent.objects.filter(skp=skp, action__in=["approved", "returned"])
    assert decided.count() == 1
    winner = decided.get()
    assert skp.status == winner.to_status
    assert winner.action == ("approved" if outcomes[0] == "ok" else "returned")


def test_concurrent_approvals_through_the_api_one_409(org, submitted_skp):
    clients = [client_for(org.head.user), client_for(org.head.user)]
    codes = [None, None]
    barrier = threading.Barrier(2)

    def run(i):
        try:
            barrier.wait()
            codes[i] = clients[i].post(f"/api/v1/skp/{submitted_skp}/approve/").status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(codes) == [200, 409]
    assert SkpEvent.objects.filter(action="approved").count() == 1


def test_concurrent_creates_for_one_year_one_wins(org):
    user = org.owner.user
    outcomes = _race(
        lambda: services.skp_create(user=user, year=2030),
        lambda: services.skp_create(user=user, year=2030),
    )
    assert sorted(outcomes) == ["conflict", "ok"], outcomes
    assert Skp.objects.filter(year=2030).count() == 1
