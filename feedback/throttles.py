"""Per-client-address limit of complaint submissions (page and API together)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class ComplaintThrottle(SimpleRateThrottle):
    scope = "complaint"

    def get_rate(self):
        return getattr(settings, "COMPLAINT_RATE_LIMIT", None) or "10/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def complaint_throttle_check(request) -> int | None:
    throttle = ComplaintThrottle()
    if throttle.allow_request(request, None):
        return None
    wait = throttle.wait()
    return max(1, int(wait + 0.999)) if wait is not None else 60
