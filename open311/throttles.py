"""Open311 limits, counted like every other limit here (DRF's cache-based throttle):
reads per client address, requests filed per API client at that client's own rate."""

import logging

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


class Open311ReadThrottle(SimpleRateThrottle):
    scope = "open311"

    def get_rate(self):
        return settings.OPEN311_RATE_LIMIT

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class Open311PostThrottle(SimpleRateThrottle):
    scope = "open311-post"

    def __init__(self, client):
        self.client = client
        self.rate = client.post_rate
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.client.pk}


def wait_seconds(throttle, request) -> int | None:
    """None when allowed, else the seconds to wait. A cache outage lets the call through:
    limits degrade, they never turn a request into an error."""
    try:
        if throttle.allow_request(request, None):
            return None
        wait = throttle.wait()
    except Exception:  # the cache (Redis) is down
        logger.warning("Open311 rate limit not counted: cache unavailable", exc_info=True)
        return None
    return max(1, int((wait or 60) + 0.999))
