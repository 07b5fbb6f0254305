"""One per-client-address limit for public status lookups, shared by the page and the API."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class TrackThrottle(SimpleRateThrottle):
    """Cache-based, keyed by client address (DRF's NUM_PROXIES-aware `get_ident`).

    The rate is read at call time from `settings.TRACK_RATE_LIMIT` (the `track` scope),
    so tests and deployments can change it without re-importing DRF settings.
    """

    scope = "track"

    def get_rate(self):
        return getattr(settings, "TRACK_RATE_LIMIT", None) or "60/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def track_throttle_check(request) -> int | None:
    """For plain Django views: None when allowed, else the seconds to wait (>= 1)."""
    throttle = TrackThrottle()
    if throttle.allow_request(request, None):
        return None
    wait = throttle.wait()
    return max(1, int(wait + 0.999)) if wait is not None else 60
