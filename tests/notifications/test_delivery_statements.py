"""What one delivered message and one status callback cost the database: the statements,
exactly (profiled, #11: a message took five ORM statements, a callback three)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications import services
from notifications.models import DeliveryAttempt, Message, MessageStatus, StatusCallback
from tests import factories
from tests.notifications.test_webhooks import callback

pytestmark = pytest.mark.usefixtures("twilio_settings")


@pytest.fixture
def signed(settings):
    settings.PUBLIC_BASE_URL = "https://alur.example.go.id"  # what tests.test_webhooks signs


def verbs(context) -> list[str]:
    return [" ".join(q["sql"].split()[:2]) for q in context.captured_queries]


def test_a_delivered_message_is_one_claim_then_its_outcome_in_one_statement(
    service_request, standin
):
    message = factories.MessageFactory(request=service_request)
    with CaptureQueriesContext(connection) as statements:
        assert services.message_deliver(message_id=message.pk).status == "sent"
    # The claim returns the row (no read first); the attempt and the row's `sent` are
    # written by one statement (the INSERT in a WITH before the UPDATE), so no
    # transaction (in production: no BEGIN and COMMIT round trips).
    assert verbs(statements) == ['UPDATE "notifications_message"', "WITH attempt"]
    assert "INSERT INTO" in statements.captured_queries[1]["sql"]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    attempt = DeliveryAttempt.objects.get(message=message)
    assert (attempt.number, attempt.outcome) == (1, DeliveryAttempt.Outcome.ACCEPTED)
    assert attempt.provider_sid == message.provider_sid == standin.messages[0]["sid"]
    assert attempt.started_at == message.claimed_at


def test_the_claim_returns_the_row_as_the_orm_reads_it(service_request):
    """The claim builds the Message from its RETURNING row itself: every field comes back
    as the ORM would load it (the JSON variables a dict, the dates aware)."""
    from notifications.outbox_sql import message_claim

    message = factories.MessageFactory(
        request=service_request, content_sid="HX1", content_variables={"1": "KJB-1", "2": "x"}
    )
    now = timezone.now()
    claimed = message_claim(message_id=message.pk, now=now, due_by=now)
    stored = Message.objects.get(pk=message.pk)
    fields = [f.attname for f in Message._meta.concrete_fields]
    assert {f: getattr(claimed, f) for f in fields} == {f: getattr(stored, f) for f in fields}
    assert claimed.content_variables == {"1": "KJB-1", "2": "x"}
    assert (claimed.status, claimed.attempts, claimed.claimed_at) == ("sending", 1, now)
    assert not claimed._state.adding
    assert message_claim(message_id=message.pk, now=now, due_by=now) is None


def test_without_postgresql_the_outcome_is_two_statements_in_a_transaction(
    service_request, standin, monkeypatch
):
    """The one-statement outcome is PostgreSQL's (a data-modifying WITH); other
    databases write the same two rows in a transaction."""
    monkeypatch.setattr(connection, "vendor", "sqlite")
    message = factories.MessageFactory(request=service_request)
    with CaptureQueriesContext(connection) as statements:
        assert services.message_deliver(message_id=message.pk).status == "sent"
    assert verbs(statements)[1:] == [
        "SAVEPOINT " + statements.captured_queries[1]["sql"].split()[1],
        "INSERT INTO",
        'UPDATE "notifications_message"',
        "RELEASE SAVEPOINT",
    ]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert DeliveryAttempt.objects.get(message=message).provider_sid == message.provider_sid


def test_a_skipped_delivery_is_one_statement(service_request, standin):
    message = factories.MessageFactory(request=service_request, status=MessageStatus.SENT)
    with CaptureQueriesContext(connection) as statements:
        assert services.message_deliver(message_id=message.pk).status == "skipped"
    assert len(statements) == 1
    assert standin.requests_seen == []


def test_the_claim_keeps_a_callbacks_status_that_came_first(service_request, standin):
    """`sent` is written only over queued/sending: a receipt that overtook the worker's
    own record stays."""
    message = factories.MessageFactory(request=service_request)
    services.message_deliver(message_id=message.pk)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.READ)
    from notifications.outbox_sql import message_mark_accepted

    message_mark_accepted(
        message_id=message.pk,
        provider_sid=message.pk and "SMx",
        backend="twilio",
        at=timezone.now(),
    )
    message.refresh_from_db()
    assert (message.status, message.provider_sid) == (MessageStatus.READ, "SMx")


def test_a_worker_dying_mid_send_leaves_an_unknown_attempt_after_the_sweep(
    service_request, standin
):
    message = factories.MessageFactory(request=service_request)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    # What a claim leaves when its worker dies before the provider answers.
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=long_ago, attempts=1
    )
    assert services.outbox_sweep().requeued == 1
    attempts = list(
        DeliveryAttempt.objects.filter(message=message).values_list("number", "outcome")
    )
    # The dead worker's attempt, then the sweeper's new send.
    assert attempts == [(1, "unknown"), (2, "accepted")]


def test_four_status_callbacks_are_seven_statements(client, db, signed):
    message = factories.MessageFactory(status=MessageStatus.SENT, provider_sid="SM1")
    with CaptureQueriesContext(connection) as statements:
        for status in ("queued", "sent", "delivered", "read"):
            assert callback(client, "SM1", status, message_id=message.pk).status_code == 204
    # queued: the audit row only; sent (already): a conditional UPDATE that moves
    # nothing, then the audit row; delivered, read: UPDATE, audit row.
    assert [q["sql"].split()[0] for q in statements.captured_queries] == [
        "INSERT", "UPDATE", "INSERT", "UPDATE", "INSERT", "UPDATE", "INSERT",
    ]  # fmt: skip
    message.refresh_from_db()
    assert message.status == MessageStatus.READ
    audit = list(StatusCallback.objects.values_list("message_id", "provider_status", "applied"))
    assert audit == [
        (message.pk, "queued", False),
        (message.pk, "sent", False),
        (message.pk, "delivered", True),
        (message.pk, "read", True),
    ]


def test_a_callback_that_overtakes_the_sid_is_audited_against_its_row(client, db, signed):
    message = factories.MessageFactory(status=MessageStatus.SENDING)
    callback(client, "SMearly", "queued", message_id=message.pk)
    callback(client, "SMearly", "delivered", message_id=message.pk)
    message.refresh_from_db()
    assert (message.provider_sid, message.status) == ("SMearly", MessageStatus.DELIVERED)
    assert message.sent_at is not None
    audit = list(StatusCallback.objects.values_list("message_id", "provider_status", "applied"))
    assert audit == [(message.pk, "queued", False), (message.pk, "delivered", True)]


def test_an_unknown_sid_with_someone_elses_m_is_audited_without_a_row(client, db, signed):
    other = factories.MessageFactory(status=MessageStatus.SENT, provider_sid="SM2")
    callback(client, "SMnobody", "read", message_id=other.pk)
    other.refresh_from_db()
    assert other.status == MessageStatus.SENT
    assert list(StatusCallback.objects.values_list("message_id", "applied")) == [(None, False)]
