"""Delivery through the Twilio channel against the local stand-in (a real HTTP server)."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import DeliveryAttempt, Message, MessageStatus
from tests import factories
from tests.notifications.conftest import announce

pytestmark = pytest.mark.usefixtures("twilio_settings")


def make_message(service_request, **kwargs):
    return factories.MessageFactory(request=service_request, **kwargs)


def test_sends_once_and_records_the_attempt(service_request, standin):
    message = make_message(service_request)
    outcome = services.message_deliver(message_id=message.pk)
    assert outcome.status == "sent"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_sid == standin.messages[0]["sid"]
    assert message.attempts == 1
    assert standin.messages[0]["To"] == "whatsapp:+6281234567890"
    assert standin.messages[0]["Body"] == message.body
    assert standin.messages[0]["StatusCallback"] == (
        f"http://testserver/webhooks/twilio/status/?m={message.pk}"
    )
    attempt = DeliveryAttempt.objects.get(message=message)
    assert attempt.outcome == DeliveryAttempt.Outcome.ACCEPTED
    assert attempt.provider_sid == message.provider_sid


def test_a_redelivered_task_never_sends_twice(service_request, standin):
    message = make_message(service_request)
    services.message_deliver(message_id=message.pk)
    assert services.message_deliver(message_id=message.pk).status == "skipped"
    assert len(standin.messages) == 1


def test_a_row_claimed_by_another_worker_is_left_alone(service_request, standin):
    message = make_message(service_request)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING)
    assert services.message_deliver(message_id=message.pk).status == "skipped"
    assert standin.requests_seen == []


def test_429_is_retried_later_with_backoff(service_request, standin, settings):
    settings.NOTIFICATIONS_RETRY_BASE_SECONDS = 4
    standin.fail_next(1, 429)
    message = make_message(service_request)
    outcome = services.message_deliver(message_id=message.pk)
    assert outcome.status == "retry"
    assert 2 <= outcome.retry_in <= 4
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.next_attempt_at > timezone.now()
    assert message.error_code == "20429"
    # The retry, when it comes, sends it.
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert services.message_deliver(message_id=message.pk).status == "sent"
    assert len(standin.messages) == 1
    outcomes = list(
        DeliveryAttempt.objects.filter(message=message).values_list("outcome", flat=True)
    )
    assert outcomes == ["transient", "accepted"]


def test_an_early_duplicate_of_a_scheduled_retry_does_nothing(service_request, standin):
    message = make_message(service_request)
    Message.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=30)
    )
    assert services.message_deliver(message_id=message.pk).status == "skipped"
    assert standin.requests_seen == []


def test_invalid_number_fails_for_good_without_retry(service_request, standin):
    standin.invalid_numbers.add("+6281234567890")
    message = make_message(service_request)
    outcome = services.message_deliver(message_id=message.pk)
    assert outcome.status == "failed"
    assert outcome.retry_in is None
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.error_code == "21211"
    assert "not a valid phone number" in message.error_message
    assert services.message_deliver(message_id=message.pk).status == "skipped"
    assert len(standin.requests_seen) == 1


def test_gives_up_after_the_maximum_attempts(service_request, standin, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    standin.fail_next(5, 503)
    message = make_message(service_request)
    assert services.message_deliver(message_id=message.pk).status == "retry"
    Message.objects.filter(pk=message.pk).update(next_attempt_at=None)
    assert services.message_deliver(message_id=message.pk).status == "failed"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "gave up after 2 attempts" in message.error_message


def test_connection_refused_is_temporary(service_request, settings):
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    message = make_message(service_request)
    assert services.message_deliver(message_id=message.pk).status == "retry"
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.error_code == "connection"


def test_no_answer_leaves_the_row_for_the_sweeper(service_request, standin, settings):
    settings.TWILIO_HTTP_TIMEOUT = 0.3
    standin.hold_seconds = 1.0
    message = make_message(service_request)
    assert services.message_deliver(message_id=message.pk).status == "unknown"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert message.error_code == "timeout"
    # The sweeper asks Twilio, finds it accepted, and does not send it again.
    Message.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    report = services.outbox_sweep()
    assert report.reconciled_sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.provider_sid == standin.messages[0]["sid"]
    assert len(standin.messages) == 1


def test_sweeper_redispatches_rows_whose_dispatch_was_lost(service_request, standin):
    message = make_message(service_request)
    Message.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    fresh = make_message(service_request)  # its dispatch may still be on its way
    report = services.outbox_sweep()
    assert report.redispatched == 1
    message.refresh_from_db()
    fresh.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert fresh.status == MessageStatus.QUEUED
    assert len(standin.messages) == 1


def test_sweeper_requeues_a_send_that_never_reached_the_provider(service_request, standin):
    message = make_message(service_request)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=long_ago, attempts=1
    )
    report = services.outbox_sweep()
    assert report.requeued == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(standin.messages) == 1


def test_sweeper_marks_sent_a_stuck_row_that_has_its_sid(service_request, standin):
    message = make_message(service_request)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=long_ago, provider_sid="SMknown"
    )
    assert services.outbox_sweep().reconciled_sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert standin.requests_seen == []


def test_sweeper_leaves_a_stuck_row_when_it_cannot_ask_the_provider(service_request, settings):
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:9"
    message = make_message(service_request)
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, claimed_at=long_ago)
    assert services.outbox_sweep().undecided == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING


def test_sweeper_leaves_a_recent_send_in_flight_alone(service_request, standin):
    message = make_message(service_request)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=timezone.now()
    )
    report = services.outbox_sweep()
    assert (report.requeued, report.reconciled_sent) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_after_commit_the_message_is_delivered_in_process(service_request, standin):
    announce(service_request, "submitted")
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT
    assert message.dispatched_at is not None
    assert len(standin.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transition_leaves_no_message_and_sends_nothing(service_request, standin):
    with pytest.raises(RuntimeError), transaction.atomic():
        announce(service_request, "submitted")
        raise RuntimeError("the transition failed after its outbox row")
    assert not Message.objects.exists()
    assert standin.requests_seen == []


@pytest.mark.django_db(transaction=True)
def test_broker_down_does_not_fail_the_transition(service_request, standin, settings):
    """Dispatch goes to a real Redis URL where nothing listens: the transition commits,
    the row waits `queued` for the sweeper."""
    from config.celery import app
    from tests.integration.celery_helpers import use_broker

    with use_broker(app, "redis://127.0.0.1:9/0"):
        announce(service_request, "submitted")
    message = Message.objects.get()
    assert message.status == MessageStatus.QUEUED
    assert message.dispatched_at is None
    assert standin.requests_seen == []


def test_replaying_the_same_transition_queues_nothing_more(service_request):
    from workflow.signals import request_transitioned

    event = announce(service_request, "submitted")
    with transaction.atomic():
        request_transitioned.send(
            sender=type(service_request), request=service_request, event=event, task=None
        )
    assert Message.objects.count() == 1


def test_non_transition_events_send_nothing(service_request):
    announce(service_request, "claimed")
    assert not Message.objects.exists()


def test_overdue_reminder_goes_to_supervisors_with_a_phone(service_request, office_service):
    supervisor = factories.UserFactory()
    factories.EmployeeFactory(user=supervisor, phone="0812-1111-2222")
    no_phone = factories.UserFactory()
    task = factories.TaskFactory(request=service_request, step=office_service.steps.first())
    from workflow.signals import task_overdue

    task_overdue.send(sender=type(task), task=task, supervisors=[supervisor, no_phone])
    message = Message.objects.get()
    assert message.kind == "overdue"
    assert message.recipient == "+6281211112222"
    assert service_request.registration_number in message.body
    task_overdue.send(sender=type(task), task=task, supervisors=[supervisor])
    assert Message.objects.count() == 1


@pytest.fixture
def frozen_clock(monkeypatch):
    """The rate-limit windows read this clock: no window rolls over mid-test."""
    now = [1_800_000_000.25]
    monkeypatch.setattr("config.ratelimit.time.time", lambda: now[0])
    return now


def test_over_the_send_rate_the_task_is_rescheduled_not_sent(
    service_request, standin, settings, frozen_clock
):
    settings.TWILIO_SEND_RATE = 1
    settings.WHATSAPP_SEND_RATE_LIMIT = "1/s"
    first, second = make_message(service_request), make_message(service_request)
    outcomes = [services.message_deliver(message_id=m.pk) for m in (first, second)]
    assert [o.status for o in outcomes] == ["sent", "throttled"]
    assert 0.75 <= outcomes[1].retry_in <= 0.95  # the rest of the second, plus jitter
    second.refresh_from_db()
    assert second.status == MessageStatus.QUEUED
    assert second.attempts == 0
    assert len(standin.messages) == 1
    frozen_clock[0] += 1  # the next second: it goes
    assert services.message_deliver(message_id=second.pk).status == "sent"


def test_one_phone_is_not_flooded_its_extra_messages_wait_for_the_window(
    service_request, standin, settings, frozen_clock
):
    settings.WHATSAPP_PHONE_RATE_LIMIT = "2/hour"
    messages = [make_message(service_request) for _ in range(3)]
    other_phone = make_message(service_request, recipient="+6281299990000")
    outcomes = [services.message_deliver(message_id=m.pk).status for m in messages]
    assert outcomes == ["sent", "sent", "deferred"]
    assert services.message_deliver(message_id=other_phone.pk).status == "sent"
    deferred = Message.objects.get(pk=messages[2].pk)
    assert deferred.status == MessageStatus.QUEUED
    assert deferred.attempts == 0
    # Kept, not lost: the sweeper sends it once the hour has passed.
    rest_of_hour = (frozen_clock[0] // 3600 + 1) * 3600 - frozen_clock[0]
    expected = timezone.now() + datetime.timedelta(seconds=rest_of_hour)
    assert abs((deferred.next_attempt_at - expected).total_seconds()) < 5
    assert len(standin.messages) == 3


@pytest.mark.django_db(transaction=True)
def test_console_backend_keeps_the_message_for_the_outbox_page(
    service_request, settings, client, caplog
):
    settings.WHATSAPP_BACKEND = "console"
    with caplog.at_level("INFO", logger="notifications.console"):
        announce(service_request, "submitted")
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT
    assert message.backend == "console"
    assert service_request.registration_number in caplog.text
    client.force_login(factories.UserFactory(is_superuser=True))
    page = client.get("/staf/pesan/").content.decode()
    assert service_request.registration_number in page
    assert "Terkirim" in page


@pytest.fixture
def republished(settings, monkeypatch):
    """What the delivery task hands back to the broker (`message_dispatch`), at a send
    rate of one message a second."""
    from notifications import tasks

    settings.TWILIO_SEND_RATE = 1
    calls = []
    monkeypatch.setattr(tasks.services, "message_dispatch", lambda **kwargs: calls.append(kwargs))
    return calls


def test_over_the_send_rate_the_worker_waits_for_the_next_window_not_republishes(
    service_request, standin, settings, republished
):
    from notifications import tasks

    settings.WHATSAPP_SEND_RATE_LIMIT = "1/s"
    first, second = make_message(service_request), make_message(service_request)
    # As the worker runs it (not eager): the second waits out the rest of the second.
    assert tasks.deliver_message.run(first.pk) == "sent"
    assert tasks.deliver_message.run(second.pk) == "sent"
    assert republished == []
    assert len(standin.messages) == 2
    window = [int(m["received_at"]) for m in standin.messages]
    assert window[1] > window[0]  # one per second: the limit held


def test_a_long_throttle_hands_the_message_back_with_a_countdown(
    service_request, standin, settings, republished, frozen_clock
):
    from notifications import tasks

    settings.WHATSAPP_SEND_RATE_LIMIT = "1/min"
    first, second = make_message(service_request), make_message(service_request)
    assert tasks.deliver_message.run(first.pk) == "sent"
    assert tasks.deliver_message.run(second.pk) == "throttled"
    assert [r["message_id"] for r in republished] == [second.pk]
    assert republished[0]["countdown"] > tasks.THROTTLE_WAIT_SECONDS
    assert len(standin.messages) == 1
