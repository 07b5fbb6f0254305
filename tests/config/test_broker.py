"""config.broker: kombu's Redis transport, with one client for its ack bookkeeping."""

import os
import uuid

import redis as redis_lib
from kombu import Connection

from config import broker


def test_acks_reuse_one_client_and_the_unacked_record_is_kept_until_the_ack(monkeypatch):
    url = os.environ["ALUR_TEST_REDIS_URL"]
    raw = redis_lib.Redis.from_url(url)
    with Connection(url, transport="config.broker:Transport") as connection:
        channel = connection.default_channel
        assert isinstance(channel, broker.Channel)
        built = []
        create = channel._create_client
        monkeypatch.setattr(
            channel, "_create_client", lambda **kw: built.append(kw) or create(**kw)
        )
        queue = connection.SimpleQueue(f"broker-test-{uuid.uuid4().hex}", channel=channel)
        for n in range(3):
            queue.put({"n": n})
        for n in range(3):
            message = queue.get(timeout=5)
            # Held, not acknowledged: in the unacked record a dead worker's task returns from.
            assert raw.hlen("unacked") == 1
            message.ack()
            assert message.payload == {"n": n}
            assert raw.hlen("unacked") == 0
        # One client for the three records and three acks (kombu built one for each).
        assert [kw for kw in built if not kw.get("asynchronous")] == [{}]
        # A new pool (after a disconnect) gets a client of its own.
        channel._disconnect_pools()
        queue.put({"n": 3})
        queue.get(timeout=5).ack()
        assert len([kw for kw in built if not kw.get("asynchronous")]) == 2
        queue.close()
