"""Public status answers cached per registration number, never stale.

Each request has a version counter in the shared cache, bumped after every transition
commits (`request_transitioned`). A reader reads the version first and stores what it
computed stamped with that version, so an answer computed from the database just before
a transition committed carries the old version and is never served again. The stamp
also holds the catalogue version (step and service names); the key holds the language
(labels are translated). Answers expire after TRACK_CACHE_SECONDS; version counters outlive them
(VERSION_SECONDS), so a counter that expires can never resurrect an old answer. With the
cache down, every lookup reads the database.

With a read replica (DATABASE_REPLICA_URL), a miss is computed on the replica only when
the replica is known to hold the number's last transition: its event id is recorded
beside the version; with no record (no transition for a day, or a flushed cache) the
replica must have replayed the primary's whole WAL as of the last second. Otherwise the
primary.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from config import ratelimit
from config.dbrouters import public_read, replica_caught_up, replica_configured
from services_catalog.cache import VERSION_KEY as CATALOGUE_VERSION_KEY
from workflow import selectors as workflow_selectors

VERSION_SECONDS = 24 * 3600


def _version_key(registration_key: str) -> str:
    return f"track:v:{registration_key}"


def _event_key(registration_key: str) -> str:
    return f"track:e:{registration_key}"


def cached(registration_key: str, kind: str, build):
    """`build()`'s value for this number, cached; None (unknown number) is not cached,
    so a number is found the moment its submission commits. A hit is one round trip:
    the versions and the stored answer are read together."""
    keys = _keys(registration_key, kind)
    return _answer(registration_key, keys, cache.get_many(keys), build)


def counted_lookup(request, registration_key: str, kind: str, build) -> tuple[float | None, object]:
    """A public lookup's first step: the client is counted against TRACK_RATE_LIMIT and
    the cached answer read in ONE round trip (the rate limit was a second one on every
    lookup). (seconds to wait, None) over the limit, else (None, `cached(...)`'s value)."""
    keys = _keys(registration_key, kind)
    wait, found = ratelimit.hit_and_read("track", ratelimit.address_ident(request), keys)
    if wait is not None:
        return wait, None
    return None, _answer(registration_key, keys, found, build)


def _keys(registration_key: str, kind: str) -> list[str]:
    answer_key = f"track:a:{registration_key}:{kind}:{get_language()}"
    return [
        _version_key(registration_key),
        _event_key(registration_key),
        CATALOGUE_VERSION_KEY,
        answer_key,
    ]


def _answer(registration_key: str, keys: list[str], found: dict, build):
    version_key, event_key, catalogue_key, answer_key = keys
    stamp = (found.get(version_key, 0), found.get(catalogue_key, 0))
    entry = found.get(answer_key)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    value = _build(registration_key, found.get(event_key), build)
    if value is not None:
        cache.set(answer_key, (stamp, value), settings.TRACK_CACHE_SECONDS)
    return value


def _build(registration_key: str, last_event: int | None, build):
    if replica_configured() and _replica_is_current(registration_key, last_event):
        with public_read():
            return build()
    return build()


_caught_up = (0.0, False)  # (monotonic time, answer): asked at most once a second per process


def _replica_is_current(registration_key: str, last_event: int | None) -> bool:
    global _caught_up
    if last_event is not None:
        with public_read():
            try:
                return workflow_selectors.request_has_event(registration_key, last_event)
            except Exception:  # noqa: BLE001 - a replica outage: read the primary
                return False
    checked, answer = _caught_up
    if time.monotonic() - checked > 1.0:
        answer = replica_caught_up()
        _caught_up = (time.monotonic(), answer)
    return answer


def _bump(registration_key: str, event_id: int | None) -> None:
    key = _version_key(registration_key)
    if hasattr(cache, "bump_and_set") and event_id is not None:
        # Redis: one round trip (profiled: add, incr and set were three per transition).
        cache.bump_and_set(key, 0, VERSION_SECONDS, _event_key(registration_key), event_id)
        return
    cache.add(key, 0, VERSION_SECONDS)
    cache.incr(key)
    if event_id is not None:
        cache.set(_event_key(registration_key), event_id, VERSION_SECONDS)


def request_transitioned(sender, request, event=None, **kwargs) -> None:
    """Receiver of workflow's signal (inside the transition's transaction)."""
    key, event_id = request.registration_key, getattr(event, "pk", None)
    transaction.on_commit(lambda: _bump(key, event_id))
