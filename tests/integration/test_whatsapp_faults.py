"""Fault journeys with the real pieces: a Celery worker subprocess on the throw-away Redis,
the Twilio stand-in, signed callbacks into the live server."""

import datetime
import time

import pytest
import requests
from django.utils import timezone

from notifications.models import Contact, DeliveryAttempt, Message, MessageStatus, StatusCallback
from notifications.panels import message_panel
from tests import factories
from tests.integration.whatsapp_stack import wait_until
from tests.notifications.conftest import announce

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PHONE = "+6281234567890"


def message_status(message_id):
    return Message.objects.filter(pk=message_id).values_list("status", flat=True).first()


def final(stack, message_id, statuses=("read",), timeout=40):
    try:
        return wait_until(
            lambda: message_status(message_id) in statuses, timeout=timeout, what=statuses
        )
    except AssertionError:
        print(stack.logs())
        raise


def test_429_then_201_sends_one_message_after_a_retry(stack):
    stack.start_worker()
    stack.standin.fail_next(1, 429)
    request = factories.ServiceRequestFactory(applicant_phone=PHONE)
    announce(request, "submitted")
    message = Message.objects.get()
    final(stack, message.pk)
    assert len(stack.standin.requests_seen) == 2
    assert len(stack.standin.messages_to(PHONE)) == 1
    message.refresh_from_db()
    assert message.attempts == 2
    outcomes = list(message.delivery_attempts.values_list("outcome", "error_code"))
    assert outcomes == [("transient", "20429"), ("accepted", "")]


def test_invalid_number_fails_without_retry_and_staff_see_it(stack, rf):
    stack.start_worker()
    stack.standin.invalid_numbers.add(PHONE)
    request = factories.ServiceRequestFactory(applicant_phone=PHONE)
    announce(request, "submitted")
    message = Message.objects.get()
    final(stack, message.pk, ("failed",))
    stack.wait_for_sweeps(3)  # the sweeper has seen the failed row: nothing retries it
    assert len(stack.standin.requests_seen) == 1
    message.refresh_from_db()
    assert (message.status, message.error_code, message.attempts) == ("failed", "21211", 1)
    http_request = rf.get("/staf/")
    http_request.user = factories.UserFactory()
    html = message_panel(http_request, request)
    assert "21211" in html


def test_replayed_and_out_of_order_callbacks_end_right(stack):
    stack.start_worker()
    stack.standin.callback_mode = "reverse+duplicate"
    request = factories.ServiceRequestFactory(applicant_phone=PHONE)
    announce(request, "submitted")
    message = Message.objects.get()
    final(stack, message.pk)
    stack.standin.wait_callbacks_done()
    assert [c["answer"] for c in stack.standin.callbacks] == [204] * 8
    message.refresh_from_db()
    assert message.status == MessageStatus.READ
    assert StatusCallback.objects.filter(message=message).count() == 8
    assert StatusCallback.objects.filter(message=message, applied=True).count() == 1


def test_free_form_outside_the_24_hour_window_ends_failed_63016(stack):
    stack.start_worker()
    stack.standin.enforce_window = True
    request = factories.ServiceRequestFactory(applicant_phone=PHONE)
    announce(request, "submitted")
    message = Message.objects.get()
    final(stack, message.pk, ("failed",))
    message.refresh_from_db()
    assert message.error_code == "63016"


def test_inside_the_window_after_the_applicant_wrote(stack):
    stack.start_worker()
    stack.standin.enforce_window = True
    stack.standin.window_open.add(PHONE)
    inbound = stack.standin.post_signed(
        stack.live_server.url + "/webhooks/twilio/inbound/",
        {"From": f"whatsapp:{PHONE}", "Body": "halo", "MessageSid": "SMin"},
    )
    assert inbound.status_code == 200
    request = factories.ServiceRequestFactory(applicant_phone=PHONE)
    announce(request, "submitted")
    final(stack, Message.objects.get().pk)


def test_forged_inbound_webhook_is_refused_and_nothing_recorded(stack):
    url = stack.live_server.url + "/webhooks/twilio/inbound/"
    params = {"From": f"whatsapp:{PHONE}", "Body": "CEK KJB-2026-00001-X"}
    forged = requests.post(url, data=params, headers={"X-Twilio-Signature": "Zm9yZ2Vk"}, timeout=5)
    unsigned = requests.post(url, data=params, timeout=5)
    assert (forged.status_code, unsigned.status_code) == (403, 403)
    assert not Contact.objects.exists()
    status = requests.post(
        stack.live_server.url + "/webhooks/twilio/status/",
        data={"MessageSid": "SM1", "MessageStatus": "read"},
        headers={"X-Twilio-Signature": "Zm9yZ2Vk"},
        timeout=5,
    )
    assert status.status_code == 403
    assert not StatusCallback.objects.exists()


def test_worker_killed_mid_send_the_message_arrives_once(stack):
    """SIGKILL while Twilio holds the request: Twilio accepted it, we never heard back.
    The callback (which names our row) records it; the sweeper does not send again."""
    worker = stack.start_worker()
    stack.standin.hold_seconds = 3
    request = factories.ServiceRequestFactory(applicant_phone=PHONE)
    announce(request, "submitted")
    stack.standin.wait_for_requests(1, timeout=30)
    worker.kill()
    stack.start_worker()
    message = Message.objects.get()
    final(stack, message.pk)
    # The sweeper has had its chance: a sweep run began after the row's `sending`
    # timeout had passed (NOTIFICATIONS_SENDING_TIMEOUT_SECONDS=6 in the worker).
    stuck_after = message.claimed_at + datetime.timedelta(seconds=6)
    wait_until(lambda: timezone.now() > stuck_after, timeout=30, what="the sending timeout")
    stack.wait_for_sweeps(2)
    assert len(stack.standin.requests_seen) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.READ
    assert message.provider_sid == stack.standin.messages[0]["sid"]


def test_worker_killed_mid_send_without_callbacks_is_found_by_asking_twilio(stack):
    worker = stack.start_worker()
    stack.standin.hold_seconds = 3
    stack.standin.callback_mode = "none"
    request = factories.ServiceRequestFactory(applicant_phone=PHONE)
    announce(request, "submitted")
    stack.standin.wait_for_requests(1, timeout=30)
    worker.kill()
    stack.start_worker()
    message = Message.objects.get()
    final(stack, message.pk, ("sent",))
    stack.wait_for_sweeps(3)  # later sweeps see it settled: none sends it again
    assert len(stack.standin.requests_seen) == 1
    message.refresh_from_db()
    assert message.provider_sid == stack.standin.messages[0]["sid"]
    assert message.delivery_attempts.get().outcome == DeliveryAttempt.Outcome.UNKNOWN


def test_redis_down_during_a_submission_then_the_sweeper_sends_it(stack):
    from tests import servers

    assert servers.redis is not None, "needs the throw-away Redis started by tests.servers"
    stack.start_worker()
    servers.redis.stop()
    request = factories.ServiceRequestFactory(applicant_phone=PHONE)
    started = time.monotonic()
    announce(request, "submitted")  # commits; the dispatch fails and is logged
    assert time.monotonic() - started < 15
    message = Message.objects.get()
    assert message.status == MessageStatus.QUEUED
    assert message.dispatched_at is None
    wait_until(  # the worker has noticed the broker is gone: it cannot have sent anything
        lambda: any(w.log_contains(rb"(?i)connection to broker lost|consumer: cannot connect to")
                    for w in stack.workers),
        timeout=30,
        what="the worker losing Redis",
    )  # fmt: skip
    assert stack.standin.requests_seen == []
    servers.redis.start()
    final(stack, message.pk, timeout=90)
    assert len(stack.standin.messages) == 1
