"""The sweeper against a real broker backlog: a row whose delivery task still waits in
Redis is not dispatched again (after an outage that made the queue grow faster than it
drained, and nothing was sent for minutes); a row the broker lost, or never got, is."""

import time
from datetime import timedelta

import pytest
import redis as redis_lib
from django.db.models import F

from notifications import services_delivery
from notifications.models import Message
from tests import factories
from tests.notifications.conftest import announce

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def announce_to(phones):
    for phone in phones:
        announce(factories.ServiceRequestFactory(applicant_phone=phone), "submitted")
    return list(Message.objects.order_by("pk").values_list("pk", flat=True))


def age(seconds: float) -> None:
    """Every row's times moved back, as if that long had passed (nulls stay null)."""
    back = timedelta(seconds=seconds)
    Message.objects.update(
        created_at=F("created_at") - back,
        dispatched_at=F("dispatched_at") - back,
        next_attempt_at=F("next_attempt_at") - back,
    )


def test_rows_waiting_in_the_broker_are_not_sent_twice_and_lost_ones_are(stack, settings):
    broker = redis_lib.Redis.from_url(stack.redis_url)
    waiting = [f"+62812000000{n}" for n in range(3)]
    announce_to(waiting)  # no worker yet: the three tasks wait in Redis
    assert broker.llen("celery") == 3 == services_delivery.deliveries_waiting()
    # The publish of a fourth fails (a broker just seen down): the row was never handed over.
    # So does a retry's publish of one of the three (its first task taken meanwhile).
    services_delivery._broker_down_until = time.monotonic() + 60
    never_handed = announce_to(["+6281200000099"])[-1]
    retried = Message.objects.get(recipient=waiting[0]).pk
    assert services_delivery.message_dispatch(message_id=retried) is False
    services_delivery._broker_down_until = 0.0
    handed = dict(Message.objects.order_by("pk").values_list("pk", "dispatched_at"))
    assert [pk for pk, at in handed.items() if at is None] == [retried, never_handed]

    lost_after = settings.NOTIFICATIONS_LOST_AFTER_SECONDS + 5
    assert lost_after < settings.NOTIFICATIONS_BACKLOG_TRUST_SECONDS
    age(lost_after)
    assert services_delivery.outbox_sweep().redispatched == 2  # the rows no task holds
    assert broker.llen("celery") == 5

    # Redis restarted without its data: the queue is gone, every queued row is lost.
    broker.delete("celery")
    age(lost_after)
    assert services_delivery.outbox_sweep().redispatched == 4
    assert broker.llen("celery") == 4

    # A backlog older than the trust window is dispatched again all the same.
    age(settings.NOTIFICATIONS_BACKLOG_TRUST_SECONDS + 5)
    assert services_delivery.outbox_sweep().redispatched == 4
    assert broker.llen("celery") == 8

    # The worker drains the eight tasks: one message per row, none twice.
    stack.start_worker()
    phones = [*waiting, "+6281200000099"]
    for phone in phones:
        stack.standin.wait_for_messages(1, timeout=60, to=phone)
    stack.wait_for_sweeps(3)
    assert sorted(m["To"] for m in stack.standin.messages) == [f"whatsapp:{p}" for p in phones]
