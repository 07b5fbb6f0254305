"""Per-client-address limit of public verification lookups (page and API together)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class VerifyThrottle(SimpleRateThrottle):
    scope = "verify"

    def get_rate(self):
        return getattr(settings, "VERIFY_RATE_LIMIT", None) or "60/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def verify_throttle_check(request) -> int | None:
    """For plain Django views: None when allowed, else the seconds to wait (>= 1)."""
    throttle = VerifyThrottle()
    if throttle.allow_request(request, None):
        return None
    wait = throttle.wait()
    return max(1, int(wait + 0.999)) if wait is not None else 60
