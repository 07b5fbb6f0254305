"""Who an API token belongs to, kept in the shared cache, so an API call does not read its
token and user from the database every time (a query of its own per call, and the ORM
building it, was a tenth of the staff queue API's CPU, profiled).

An entry, under a digest of the token (never the token itself), holds when the token was
issued and its user's row without the password; it is stamped with the token's version
counter. Revoking, rotating, expiring or deleting the token, and every save or deletion
of its user (deactivated, renamed, made superuser), a change of their staff groups,
permissions or staff memberships (organization connects those), bump that counter: at
once, for a read later in the same transaction, and again once it commits, so an entry
read before a change committed is never served after it. The entry holds no groups,
permissions or units (those are read afresh where they are used), but is dropped with
them all the same: nothing about a user is served from before a change of them.

Only Redis is trusted with entries: with it down (or a process-local cache, as in
development) every call reads the database. Entries also expire after TOKEN_CACHE_SECONDS,
which bounds what a bump lost to a Redis outage can leave behind.
"""

import hashlib
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

TOKEN_CACHE_SECONDS = 60
VERSION_SECONDS = 24 * 3600
_M2M_DONE = {"post_add", "post_remove", "post_clear"}


def _digest(key: str) -> str:
    return hashlib.blake2b(key.encode(), digest_size=32).hexdigest()


def _entry_key(digest: str) -> str:
    return f"auth:token:{digest}"


def _version_key(digest: str) -> str:
    return f"auth:token:v:{digest}"


def _shared() -> bool:
    return hasattr(cache, "get_many_shared")


def _user_fields() -> tuple[str, ...]:
    """The user's columns an entry keeps: all but the password (read on demand)."""
    return tuple(
        f.attname for f in get_user_model()._meta.concrete_fields if f.attname != "password"
    )


class Lookup:
    """One token's entry as read: `found()` gives (user, token) on a hit, else None;
    `store(user, token)` keeps what the database said, stamped with the version read
    before the database was (a bump between the two leaves the entry behind)."""

    __slots__ = ("_key", "_digest", "_version", "_entry")

    def __init__(self, key: str):
        self._key, self._digest = key, _digest(key)
        self._version = self._entry = None
        if not _shared():
            return
        version_key = _version_key(self._digest)
        found = cache.get_many_shared([_entry_key(self._digest), version_key])
        if found is None:  # Redis does not answer
            return
        self._version, self._entry = found.get(version_key), found.get(_entry_key(self._digest))
        if self._version is None:
            # No counter yet (never bumped, or gone with a Redis restart): start one
            # before the database is read; no entry is ever stamped with "no version"
            # (a counter lost later would match it again). Someone else's start or bump
            # first: keep nothing this time.
            start = _first_version()
            if cache.add(version_key, start, VERSION_SECONDS):
                self._version = start

    def found(self):
        entry = self._entry
        if entry is None or entry[0] != self._version:
            return None
        _version, created, user_values = entry
        from rest_framework.authtoken.models import Token

        user_model = get_user_model()
        alias = router.db_for_read(user_model)
        user = user_model.from_db(alias, _user_fields(), user_values)
        token = Token.from_db(alias, ("key", "user_id", "created"), (self._key, user.pk, created))
        token.user = user
        return user, token

    def store(self, user, token) -> None:
        if self._version is None:
            return
        values = tuple(getattr(user, name) for name in _user_fields())
        entry = (self._version, token.created, values)
        cache.set_shared(_entry_key(self._digest), entry, TOKEN_CACHE_SECONDS)


def _first_version() -> int:
    # A counter that vanished starts again from the clock: a number already used could
    # match an entry stamped with it.
    return time.time_ns() // 1000


def _bump(digest: str) -> None:
    cache.bump(_version_key(digest), _first_version(), VERSION_SECONDS)


def forget_token(key: str) -> None:
    """Drop the entry of token `key`, now and once the transaction commits."""
    if not _shared() or not key:
        return
    digest = _digest(key)
    _bump(digest)
    transaction.on_commit(lambda: _bump(digest))


def forget_users(user_ids) -> None:
    """Drop the entries of the tokens of these users (one query for their tokens)."""
    from rest_framework.authtoken.models import Token

    user_ids = [pk for pk in user_ids if pk is not None]
    if not _shared() or not user_ids:
        return
    for key in Token.objects.filter(user_id__in=user_ids).values_list("key", flat=True):
        forget_token(key)


def token_changed(sender, instance, **kwargs) -> None:
    forget_token(instance.key)


def user_changed(sender, instance, **kwargs) -> None:
    forget_users([instance.pk])


def membership_changed(sender, instance, **kwargs) -> None:
    """Receiver for a row that ties a user to something (a staff membership)."""
    forget_users([instance.user_id])


def _m2m_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """User.groups and User.user_permissions changed, from either side."""
    if not reverse:
        if action in _M2M_DONE:
            forget_users([instance.pk])
    elif action == "pre_clear":  # the users are gone from the table after it
        forget_users(instance.user_set.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        forget_users(pk_set or ())


def group_deleted(sender, instance, **kwargs) -> None:
    """A deleted group leaves its users without it (no m2m signal for that)."""
    forget_users(instance.user_set.values_list("pk", flat=True))


def connect() -> None:
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token

    user_model = get_user_model()
    post_save.connect(token_changed, sender=Token, dispatch_uid="token-cache-token-save")
    post_delete.connect(token_changed, sender=Token, dispatch_uid="token-cache-token-delete")
    post_save.connect(user_changed, sender=user_model, dispatch_uid="token-cache-user-save")
    pre_delete.connect(user_changed, sender=user_model, dispatch_uid="token-cache-user-delete")
    pre_delete.connect(group_deleted, sender=Group, dispatch_uid="token-cache-group-delete")
    for through in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(_m2m_changed, sender=through, dispatch_uid=f"token-cache-{through}")
