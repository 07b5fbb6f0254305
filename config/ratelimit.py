"""The one rate-limit mechanism: DRF throttles on the shared Django cache.

Every limit of Alur (status lookups, the catalogue API, submissions, API logins, WhatsApp
commands, the Twilio send rate per sender and the messages per destination phone) is a
named scope whose rate is the setting `<SCOPE>_RATE_LIMIT` ("N/s|min|hour|day", DRF's
notation), counted here:

- in the shared cache (Redis in production, so every gunicorn and Celery process counts
  together), in fixed windows with an atomic INCR + EXPIRE NX in one round trip (`add`
  + `incr` on other caches; DRF's own throttle keeps a list it reads and rewrites, which
  lets concurrent requests past the limit);
- failing open: when the cache is down the limit is not applied (logged), so an outage
  never turns a request, a login or a message into an error (CONTRACT.md section 6).

API views use `ScopeThrottle` subclasses; pages and services call `hit()`. Login lockout
(per username and per address) is django-axes, configured in settings.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

from config.clientip import client_address

logger = logging.getLogger(__name__)


def parse(rate: str) -> tuple[int, int]:
    """(requests, seconds) of "N/period"; SimpleRateThrottle's notation and parser."""
    return SimpleRateThrottle.parse_rate(None, rate)


def rate_of(scope: str) -> str | None:
    """The rate of a scope: setting `<SCOPE>_RATE_LIMIT`, read at call time."""
    return getattr(settings, f"{scope.upper()}_RATE_LIMIT", None)


def hit(scope: str, ident: str, *, rate: str | None = None) -> float | None:
    """Count one event of `scope` for `ident`. None when allowed, else the seconds until
    the window reopens (> 0). No rate (or "0/…") means unlimited."""
    return hit_and_read(scope, ident, (), rate=rate)[0]


def hit_and_read(
    scope: str, ident: str, keys, *, rate: str | None = None
) -> tuple[float | None, dict]:
    """`hit()`, and the cache's values of `keys` (as `cache.get_many`) read in the same
    round trip: a public lookup's rate limit and its cached answer cost one, not two."""
    rate = rate or rate_of(scope)
    allowed, period = parse(rate) if rate else (0, 1)
    if allowed <= 0:  # unlimited
        return None, _quietly(lambda: cache.get_many(keys), {}) if keys else {}
    now = time.time()
    window = int(now // period)
    key = f"alur:rl:{scope}:{ident}:{window}"
    found = {}
    try:
        count, found = _count(key, period + 1, keys)
    except ValueError:  # the key expired between add and incr: count afresh
        count = 1
        _quietly(lambda: cache.set(key, 1, timeout=period + 1))
    except Exception:  # noqa: BLE001 - a cache outage must not refuse anyone
        logger.warning("rate limit %s not applied: cache unavailable", scope, exc_info=True)
        return None, {}
    if count <= allowed:
        return None, found
    return max((window + 1) * period - now, 0.001), found


def counted(request, scope: str) -> None:
    """Mark `request` as counted against `scope`: a fast path that counts a request itself
    and then hands it to DRF's view (which would count it again) calls this first."""
    request.rate_limit_counted = scope


def _count(key: str, timeout: int, keys) -> tuple[int, dict]:
    if hasattr(cache, "count"):  # core.cache.FailOpenRedisCache: one round trip
        if keys:
            return cache.count_and_get_many(key, timeout, keys)
        return cache.count(key, timeout), {}
    cache.add(key, 0, timeout=timeout)
    return cache.incr(key), (cache.get_many(keys) if keys else {})


def _quietly(action, failed=None):
    try:
        return action()
    except Exception:  # noqa: BLE001
        logger.warning("rate-limit cache call failed", exc_info=True)
        return failed


def retry_after(wait: float) -> int:
    """A Retry-After header value: whole seconds, at least 1."""
    return max(1, int(wait + 0.999))


def seconds_to_wait(scope: str, request, *, ident: str | None = None) -> int | None:
    """For plain Django views: None while the client (its address unless `ident` is
    given) is within `scope`'s limit, else the whole seconds to wait (>= 1)."""
    wait = hit(scope, ident or address_ident(request))
    return None if wait is None else retry_after(wait)


def address_ident(request) -> str:
    """Who is counted on public paths: the client address, signed in or not."""
    return f"addr:{client_address(request)}"


def client_ident(request) -> str:
    """Who is counted for a request: the signed-in user, else the client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return address_ident(request)


class ScopeThrottle(SimpleRateThrottle):
    """A DRF throttle counted by `hit()`. Subclasses set `scope`; `per_address` counts
    the client address even for signed-in users (public endpoints)."""

    scope = ""
    per_address = False

    def __init__(self):
        self._wait = None

    def get_rate(self):
        return rate_of(self.scope)

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        if getattr(request, "rate_limit_counted", None) == self.scope:
            return True  # counted already, by a fast path that handed over to DRF's view
        ident = address_ident(request) if self.per_address else client_ident(request)
        self._wait = hit(self.scope, ident)
        return self._wait is None

    def wait(self):
        return self._wait


class TrackThrottle(ScopeThrottle):
    scope = "track"
    per_address = True


class CatalogueThrottle(ScopeThrottle):
    scope = "catalogue"
    per_address = True


class SubmitThrottle(ScopeThrottle):
    scope = "submit"


class TokenThrottle(ScopeThrottle):
    scope = "token"
    per_address = True
