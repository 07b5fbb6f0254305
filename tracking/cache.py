"""Public status answers cached per registration number, never stale.

Each request has a version counter in the shared cache, bumped after every transition
commits (`request_transitioned`). A reader reads the version first and stores what it
computed under that version, so an answer computed from the database just before a
transition committed lands under the old version and is never read again. Keys also
carry the catalogue version (step and service names) and the language (labels are
translated). Answers expire after TRACK_CACHE_SECONDS; version counters outlive them
(VERSION_SECONDS), so a counter that expires can never resurrect an old answer. With the
cache down, every lookup reads the database.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from services_catalog.cache import VERSION_KEY as CATALOGUE_VERSION_KEY

VERSION_SECONDS = 24 * 3600


def _version_key(registration_key: str) -> str:
    return f"track:v:{registration_key}"


def cached(registration_key: str, kind: str, build):
    """`build()`'s value for this number, cached; None (unknown number) is not cached,
    so a number is found the moment its submission commits."""
    versions = cache.get_many([_version_key(registration_key), CATALOGUE_VERSION_KEY])
    version = versions.get(_version_key(registration_key), 0)
    catalogue = versions.get(CATALOGUE_VERSION_KEY, 0)
    key = f"track:a:{registration_key}:{kind}:{get_language()}:{version}:{catalogue}"
    found = cache.get(key)
    if found is None:
        found = build()
        if found is not None:
            cache.set(key, found, settings.TRACK_CACHE_SECONDS)
    return found


def _bump(registration_key: str) -> None:
    key = _version_key(registration_key)
    cache.add(key, 0, VERSION_SECONDS)
    cache.incr(key)


def request_transitioned(sender, request, **kwargs) -> None:
    """Receiver of workflow's signal (inside the transition's transaction)."""
    key = request.registration_key
    transaction.on_commit(lambda: _bump(key))
