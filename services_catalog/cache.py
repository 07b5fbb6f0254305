"""The public catalogue changes rarely and is read on every visit, so its API answers are
cached under a version number that every catalogue save bumps once it has committed.

The version lives in the shared cache (Redis in production): every web process sees a
bump at once. Answers also expire after CATALOGUE_CACHE_SECONDS, which bounds what a bump
lost to a cache outage can leave behind; each process keeps its own copy of the current
version's answers for at most as long. With the cache down, reads go to the database.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

VERSION_KEY = "catalogue:version"


def _first_version() -> int:
    # A version counter that vanished (Redis flushed or restarted) starts again from the
    # clock, not from 0: a number already used could match a process's old copies.
    return time.time_ns() // 1000


def catalogue_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _first_version(), None)  # SET NX: every process agrees
        version = cache.get(VERSION_KEY) or 0
    return version


def _bump() -> None:
    # add() is atomic (SET NX): two concurrent first bumps cannot both land on one value.
    cache.add(VERSION_KEY, _first_version(), None)
    cache.incr(VERSION_KEY)


def catalogue_changed(**kwargs) -> None:
    transaction.on_commit(_bump)


# This process's copies of answers, by their full key (so by version): a hit costs one
# small read (the version) instead of fetching and unpickling the whole catalogue.
_copies: dict[str, tuple[float, object]] = {}
MAX_COPIES = 256


def cached_answer(name: str, build, *, version: int | None = None):
    """`build()`'s value, cached per catalogue version and language under `name`; a
    None from `build()` (an error answer) is not cached. `version`: the current one when
    the caller has read it already (the API reads it with its rate limit count)."""
    key = f"catalogue:{version or catalogue_version()}:{get_language()}:{name}"
    now = time.monotonic()
    copy = _copies.get(key)
    if copy is not None and now - copy[0] < settings.CATALOGUE_CACHE_SECONDS:
        return copy[1]
    found = cache.get(key)
    if found is None:
        found = build()
        if found is None:
            return None
        cache.set(key, found, settings.CATALOGUE_CACHE_SECONDS)
    if len(_copies) >= MAX_COPIES:
        _copies.clear()
    _copies[key] = (now, found)
    return found


def connect() -> None:
    """Every model whose rows the public catalogue shows bumps the version."""
    from organization.models import Office, Unit

    from .models import FormField, RequiredDocument, ServiceType, Step

    for model in (ServiceType, FormField, RequiredDocument, Step, Unit, Office):
        uid = f"catalogue-cache-{model._meta.label_lower}"
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=uid + "-delete")
