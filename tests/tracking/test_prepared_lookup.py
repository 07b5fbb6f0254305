"""The public lookup runs as a prepared statement (config/prepared.py): prepared once per
database session, so again after a connection reset, kept across rollbacks, prepared
anew when something deallocated it; it answers what the ORM's objects say."""

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from config.prepared import PreparedQuery
from tracking.selectors import public_status, public_status_of
from workflow.models import RequestStatus

from .conftest import stored_request


def statements(captured) -> list[str]:
    """The statements run, by their first words (PREPARE or EXECUTE and the name)."""
    return [q["sql"].split(" AS ")[0].split("(")[0] for q in captured]


def lookup(number):
    with CaptureQueriesContext(connection) as captured:
        found = public_status(number)
    return found, statements(captured.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_prepared_once_per_session_and_again_after_a_reset(portal_service):
    first = stored_request(portal_service, history=4)
    second = stored_request(portal_service, status=RequestStatus.COMPLETED, step_order=None)
    connection.close()  # a new session, as after CONN_MAX_AGE or a failed health check
    found, ran = lookup(first.registration_key)
    assert ran == ["PREPARE alur_public_timeline", "EXECUTE alur_public_timeline"]
    assert found == public_status_of(first)
    found, ran = lookup(second.registration_key)
    assert ran == ["EXECUTE alur_public_timeline"]
    assert found == public_status_of(second)
    connection.close()
    assert lookup(second.registration_key)[1] == [
        "PREPARE alur_public_timeline",
        "EXECUTE alur_public_timeline",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_rollback_keeps_it_and_a_deallocation_is_mended(portal_service):
    request = stored_request(portal_service)
    public_status(request.registration_key)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert public_status(request.registration_key) is not None
        raise RuntimeError  # rolled back
    found, ran = lookup(request.registration_key)
    assert ran == ["EXECUTE alur_public_timeline"] and found == public_status_of(request)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as DISCARD ALL would
    found, ran = lookup(request.registration_key)
    assert ran == [
        "EXECUTE alur_public_timeline",  # failed: no such statement
        "PREPARE alur_public_timeline",
        "EXECUTE alur_public_timeline",
    ]
    assert found == public_status_of(request)


def test_an_unknown_number_is_none(db, lookup_prepared):
    assert lookup("KJB2026999990")[0] is None


def new_request_on(conn) -> None:
    """What Django does to the connection when a request starts (request_started)."""
    conn.close_if_unusable_or_obsolete()
    assert conn.connection is not None and not conn.health_check_done


@pytest.mark.django_db(transaction=True)
def test_the_lookup_is_its_own_health_check(portal_service, monkeypatch):
    request = stored_request(portal_service)
    public_status(request.registration_key)
    checks = []
    monkeypatch.setattr(
        type(connections["default"]), "is_usable", lambda self: checks.append(self) or True
    )
    new_request_on(connection)
    assert public_status(request.registration_key) == public_status_of(request)
    assert checks == []  # no SELECT 1 before the lookup: one round trip, not two
    assert connection.health_check_done  # the request's later queries are not checked either


@pytest.mark.django_db(transaction=True)
def test_a_dead_session_is_replaced_as_the_health_check_would(portal_service):
    request = stored_request(portal_service)
    public_status(request.registration_key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:  # the server drops the session (a restart, a proxy)
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    new_request_on(connection)
    found, ran = lookup(request.registration_key)
    assert found == public_status_of(request)
    assert ran == [
        "EXECUTE alur_public_timeline",  # failed: the session is gone
        "PREPARE alur_public_timeline",  # on the new session
        "EXECUTE alur_public_timeline",
    ]


@pytest.mark.django_db(transaction=True)
def test_an_error_on_a_live_session_is_not_retried(portal_service, monkeypatch):
    request = stored_request(portal_service)
    public_status(request.registration_key)
    calls = []

    def failing(self, *args):
        calls.append(args)
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr(PreparedQuery, "_fetchone", failing)
    new_request_on(connection)
    with pytest.raises(OperationalError):
        public_status(request.registration_key)
    assert len(calls) == 1  # a timeout is not a dead session: not run twice
