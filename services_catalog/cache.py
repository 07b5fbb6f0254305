"""The public catalogue changes rarely and is read on every visit, so its API answers are
cached under a version number that every catalogue save bumps once it has committed.

The version lives in the shared cache (Redis in production): every web process sees a
bump at once. Answers also expire after CATALOGUE_CACHE_SECONDS, which bounds what a bump
lost to a cache outage can leave behind. With the cache down, reads go to the database.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

VERSION_KEY = "catalogue:version"


def catalogue_version() -> int:
    return cache.get(VERSION_KEY) or 0


def _bump() -> None:
    # add() is atomic (SET NX): two concurrent first bumps cannot both land on 1.
    cache.add(VERSION_KEY, 0, None)
    cache.incr(VERSION_KEY)


def catalogue_changed(**kwargs) -> None:
    transaction.on_commit(_bump)


def cached_answer(name: str, build):
    """`build()`'s value, cached per catalogue version and language under `name`."""
    key = f"catalogue:{catalogue_version()}:{get_language()}:{name}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, settings.CATALOGUE_CACHE_SECONDS)
    return found


def connect() -> None:
    """Every model whose rows the public catalogue shows bumps the version."""
    from organization.models import Office, Unit

    from .models import FormField, RequiredDocument, ServiceType, Step

    for model in (ServiceType, FormField, RequiredDocument, Step, Unit, Office):
        uid = f"catalogue-cache-{model._meta.label_lower}"
        post_save.connect(catalogue_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(catalogue_changed, sender=model, dispatch_uid=uid + "-delete")
