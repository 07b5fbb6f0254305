"""The staff queue's tab counts (and the header's overdue badge), kept in the shared cache
per user for the tasks of their units, so a unit with 10,000 open tasks is not counted
on every page and list.

Each unit has a version counter, bumped by every save or delete of one of its tasks (a
claim, release, assignment, decision, new step, overdue mark...): at once, for a read
later in the same transaction, and again once it commits. A reader reads the versions of
its units first and stores what it counted stamped with them, with the day ("overdue"
turns on at midnight) and everything else the counts depend on (the user's reach: units,
supervised units, routed steps, the steps their staff groups bar them from, read afresh
on every request), so counts taken just before a change committed are never served after
it. Tasks routed in person (PLT/PLH, own requests) are few and counted live beside these.

Only Redis is trusted with entries: with it down (or with a process-local cache, as in
development) the counts are taken from the database. Entries also expire after
COUNTS_SECONDS, which bounds what a bump lost to a Redis outage can leave behind.
"""

import dataclasses
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

COUNTS_SECONDS = 60
VERSION_SECONDS = 24 * 3600


def _version_key(unit_id: int) -> str:
    return f"queue:v:{unit_id}"


def _counts_key(user_id: int) -> str:
    return f"queue:counts:{user_id}"


def _shared() -> bool:
    return hasattr(cache, "get_many_shared")


def unit_counts(reach, count) -> dict[str, int]:
    """`count(reach)` (the tab counts of `reach`, a `QueueReach.units_part()`), cached
    under the versions of its units. A hit is one round trip to Redis and no query."""
    if reach.user_id is None or not reach.units or not _shared():
        return count(reach)
    version_keys = [_version_key(unit_id) for unit_id in reach.units]
    counts_key = _counts_key(reach.user_id)
    found = cache.get_many_shared([*version_keys, counts_key])
    if found is None:  # Redis does not answer
        return count(reach)
    stamp = (
        timezone.localdate().isoformat(),
        tuple(found.get(key) for key in version_keys),
        dataclasses.astuple(reach),
    )
    entry = found.get(counts_key)
    if entry is not None and entry[0] == stamp:
        return dict(entry[1])
    counts = count(reach)
    cache.set_shared(counts_key, (stamp, counts), COUNTS_SECONDS)
    return counts


def _bump(unit_id: int) -> None:
    # A counter that vanished (Redis flushed or restarted, or expired) starts again from
    # the clock: a number already used could match an entry stamped with it.
    cache.bump(_version_key(unit_id), time.time_ns() // 1000, VERSION_SECONDS)


def task_changed(sender, instance, **kwargs) -> None:
    """Receiver of every save and delete of a Task."""
    if not _shared():
        return
    unit_id = instance.unit_id
    _bump(unit_id)
    transaction.on_commit(lambda: _bump(unit_id))


def connect() -> None:
    from .models import Task

    post_save.connect(task_changed, sender=Task, dispatch_uid="queue-cache-task-save")
    post_delete.connect(task_changed, sender=Task, dispatch_uid="queue-cache-task-delete")
