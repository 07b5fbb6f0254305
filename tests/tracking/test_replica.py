"""Public lookups on a real streaming replica (config/dbrouters.py, tracking/cache.py):
served by the replica when it holds the number's last transition, by the primary when
its replay is behind, so a lagging replica never shows (or caches) an old status."""

import os
import time
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext

from config.dbrouters import REPLICA, replica_caught_up
from tests.servers import ReplicaServer
from tests.tracking.test_public_cache import submitted, track
from tracking import cache as track_cache
from workflow import services
from workflow.models import RequestEvent, Task

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def replica_server(django_db_setup, django_db_blocker):
    """A streaming replica of the suite's PostgreSQL, as the `replica` connection to the
    test database. Added before the tests' database set-up, which then allows it; marked
    as a mirror so that the tests' flush leaves the read-only replica alone."""
    server = ReplicaServer(urlparse(os.environ["ALUR_TEST_DATABASE_URL"]).port)
    server.start()
    primary = connections["default"].settings_dict
    connections.databases[REPLICA] = {
        **primary,
        "PORT": str(server.port),
        "TEST": {**primary["TEST"], "MIRROR": "default"},
    }
    yield server
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections.databases[REPLICA]
    del connections[REPLICA]
    server.stop()


@pytest.fixture
def replica(replica_server):
    track_cache._caught_up = (0.0, False)  # what an earlier test's process memo said
    return connections[REPLICA]


def replayed(replica, event_id, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with replica.cursor() as cursor:
            cursor.execute("SELECT 1 FROM workflow_requestevent WHERE id = %s", [event_id])
            if cursor.fetchone():
                return
        time.sleep(0.05)
    raise AssertionError(f"the replica never replayed event {event_id}")


def lookups(captured) -> list[str]:
    """The public lookup's statements among `captured` (prepared once per connection,
    then executed by name: config/prepared.py)."""
    return [q["sql"] for q in captured.captured_queries if "alur_public_timeline" in q["sql"]]


def set_replay(replica, paused: bool):
    with replica.cursor() as cursor:
        cursor.execute(
            "SELECT pg_wal_replay_pause()" if paused else "SELECT pg_wal_replay_resume()"
        )


def test_a_lookup_reads_the_replica_once_it_holds_the_last_transition(
    replica, api_client, umrah, django_capture_on_commit_callbacks
):
    request = submitted(umrah, django_capture_on_commit_callbacks)
    replayed(replica, RequestEvent.objects.filter(request=request).latest("pk").pk)
    with CaptureQueriesContext(replica) as on_replica:
        assert track(api_client, request)["status_label"] == "Diterima"
    assert lookups(on_replica)


def test_a_replica_behind_the_last_transition_is_not_read_and_nothing_stale_is_cached(
    replica,
    api_client,
    umrah,
    staff,
    django_capture_on_commit_callbacks,
):
    request = submitted(umrah, django_capture_on_commit_callbacks)
    replayed(replica, RequestEvent.objects.filter(request=request).latest("pk").pk)
    assert track(api_client, request)["status_label"] == "Diterima"
    set_replay(replica, paused=True)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.task_claim(task=Task.objects.get(request=request), user=staff)
        with CaptureQueriesContext(replica) as on_replica:
            assert track(api_client, request)["status_label"] == "Diproses"
        # Only the freshness probe went to the replica; the answer came from the primary.
        assert [q["sql"] for q in on_replica.captured_queries if "servicerequest" in q["sql"]]
        assert not lookups(on_replica)
    finally:
        set_replay(replica, paused=False)
    assert track(api_client, request)["status_label"] == "Diproses"  # cached, and right


def test_with_no_recorded_transition_only_a_caught_up_replica_is_read(
    replica,
    api_client,
    umrah,
    staff,
    django_capture_on_commit_callbacks,
):
    request = submitted(umrah, django_capture_on_commit_callbacks)
    set_replay(replica, paused=True)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.task_claim(task=Task.objects.get(request=request), user=staff)
        cache.clear()  # a flushed cache: no record of the last transition
        with CaptureQueriesContext(replica) as on_replica:
            assert track(api_client, request)["status_label"] == "Diproses"
        assert not lookups(on_replica)
        assert not any("servicerequest" in q["sql"] for q in on_replica.captured_queries)
    finally:
        set_replay(replica, paused=False)
    deadline = time.monotonic() + 30
    while not replica_caught_up():  # everything written since, the outbox rows included
        assert time.monotonic() < deadline, "the replica never caught up"
        time.sleep(0.05)
    cache.clear()
    track_cache._caught_up = (0.0, False)
    with CaptureQueriesContext(replica) as on_replica:
        assert track(api_client, request)["status_label"] == "Diproses"
    assert lookups(on_replica)
