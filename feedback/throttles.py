"""Per-client-address limit of complaint submissions (page and API together), counted
by the project's one rate-limit mechanism (`config.ratelimit`, scope "complaint",
setting COMPLAINT_RATE_LIMIT)."""

from config import ratelimit


class ComplaintThrottle(ratelimit.ScopeThrottle):
    scope = "complaint"
    per_address = True


def complaint_throttle_check(request) -> int | None:
    """For plain Django views: None when allowed, else the seconds to wait (>= 1)."""
    return ratelimit.seconds_to_wait("complaint", request)
