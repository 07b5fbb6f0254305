"""The public lookup runs as a prepared statement (config/prepared.py): prepared once per
database session, so again after a connection reset, kept across rollbacks, prepared
anew when something deallocated it; it answers what the ORM's objects say."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

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
