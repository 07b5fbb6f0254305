"""Global send-rate limit per sender (Twilio queues beyond ~80 messages/s per sender).

A fixed one-second window counter in Redis when REDIS_URL is set (shared by every
worker), else in this process. `acquire()` never blocks: it answers how long to wait, so
the task re-schedules itself and the worker moves on to other work.
"""

import logging
import random
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)

_client = None
_client_url = None
_local_lock = threading.Lock()
_local_window = {"second": 0, "count": 0}
# After Redis fails, count in this process for a while instead of paying a connection
# attempt (and a warning) per message while it is down.
REDIS_RETRY_SECONDS = 15.0
_redis_down_until = 0.0


def _redis():
    global _client, _client_url
    if _client is None or _client_url != settings.REDIS_URL:
        import redis

        _client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
        )
        _client_url = settings.REDIS_URL
    return _client


def acquire(sender: str, *, rate: int | None = None) -> float:
    """0 when a message may go now, else the seconds to wait before trying again."""
    global _redis_down_until
    rate = rate or settings.TWILIO_SEND_RATE
    if rate <= 0:
        return 0.0
    now = time.time()
    second = int(now)
    if settings.REDIS_URL and time.monotonic() >= _redis_down_until:
        key = f"alur:wa-rate:{sender}:{second}"
        try:
            pipe = _redis().pipeline()
            pipe.incr(key)
            pipe.expire(key, 2)
            count = pipe.execute()[0]
        except Exception as exc:  # noqa: BLE001 - the limiter must never stop delivery
            _redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
            logger.warning(
                "send-rate limiter: Redis unavailable (%s); counting in this process for %ss",
                type(exc).__name__,
                REDIS_RETRY_SECONDS,
            )
            count = _count_locally(second)
    else:
        count = _count_locally(second)
    if count <= rate:
        return 0.0
    return (second + 1 - now) + random.uniform(0, 0.2)


def _count_locally(second: int) -> int:
    with _local_lock:
        if _local_window["second"] != second:
            _local_window.update(second=second, count=0)
        _local_window["count"] += 1
        return _local_window["count"]
