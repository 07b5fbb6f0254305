"""Rows that change rarely (a service's catalogue entry, the offices' message texts) but
are read on every write, kept in this process's memory under a version counter in the
shared cache (Redis), so a copy is never used once its rows have changed.

Whoever owns the rows bumps the counter once their change commits (every process sees
it at once); a save in this process also drops this process's copies at once (tests
change the catalogue inside one transaction, which never commits). A copy is read only
after the counter: a change committed while it was being built carries a newer version,
so the copy is built again on the next read. With Redis down, or a cache that is not
shared between processes, every read goes to the database. Copies also expire after
`max_age` seconds, which bounds what a bump lost to a Redis outage can leave behind.
"""

import time

from django.core.cache import cache

MAX_ENTRIES = 256


def version_of(key: str) -> int | None:
    """The counter `key` in Redis (started from the clock when missing), or None when
    Redis does not answer or the cache is this process's own."""
    if not hasattr(cache, "get_many_shared"):
        return None
    found = cache.get_many_shared([key])
    if found is None:
        return None
    version = found.get(key)
    if version is None:
        # SET NX: every process agrees on the first value. From the clock, not 0: a
        # counter that vanished (Redis flushed) must not repeat a version already used.
        cache.add(key, time.time_ns() // 1000, None)
        found = cache.get_many_shared([key]) or {}
        version = found.get(key)
    return version


def bump(key: str) -> None:
    """Move the counter `key` on (call once the change has committed)."""
    if hasattr(cache, "bump"):
        cache.bump(key, time.time_ns() // 1000, None)


class ProcessCopy:
    """Values built once per process under the counter `version_key`."""

    def __init__(self, version_key: str, *, max_age: float):
        self.version_key = version_key
        self.max_age = max_age
        self._copies: dict = {}

    def get(self, name, build):
        """`build()`'s value for `name`; a None from `build()` is not kept."""
        version = version_of(self.version_key)
        if version is None:
            return build()
        now = time.monotonic()
        copy = self._copies.get(name)
        if copy is not None and copy[0] == version and now - copy[1] < self.max_age:
            return copy[2]
        value = build()
        if value is not None:
            if len(self._copies) >= MAX_ENTRIES:
                self._copies.clear()
            self._copies[name] = (version, now, value)
        return value

    def clear(self, **kwargs) -> None:
        """Drop this process's copies (a signal receiver: a row changed here)."""
        self._copies.clear()
