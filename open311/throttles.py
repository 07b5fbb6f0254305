"""Open311 limits, counted by the project's one rate-limit mechanism (`config.ratelimit`):
reads per client address (OPEN311_RATE_LIMIT), requests filed per API client at that
client's own rate."""

from config import ratelimit


class Open311ReadThrottle(ratelimit.ScopeThrottle):
    scope = "open311"
    per_address = True


class Open311PostThrottle(ratelimit.ScopeThrottle):
    scope = "open311_post"

    def __init__(self, client):
        super().__init__()
        self.client = client

    def allow_request(self, request, view):
        self._wait = ratelimit.hit(
            self.scope, f"client:{self.client.pk}", rate=self.client.post_rate
        )
        return self._wait is None


def wait_seconds(throttle, request) -> int | None:
    """None when allowed, else the seconds to wait (a cache outage lets the call through:
    `config.ratelimit` fails open)."""
    if throttle.allow_request(request, None):
        return None
    return ratelimit.retry_after(throttle.wait() or 60)
