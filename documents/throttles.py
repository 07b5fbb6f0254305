"""Per-client-address limit of public verification lookups (page and API together),
counted by the project's one rate-limit mechanism (`config.ratelimit`, scope "verify",
setting VERIFY_RATE_LIMIT)."""

from config import ratelimit


class VerifyThrottle(ratelimit.ScopeThrottle):
    scope = "verify"
    per_address = True


def verify_throttle_check(request) -> int | None:
    """For plain Django views: None when allowed, else the seconds to wait (>= 1)."""
    return ratelimit.seconds_to_wait("verify", request)
