"""`staff_overdue` for the header: how many of the user's tasks are overdue.

Read lazily (only pages that render the header ask) and kept for a minute in the cache,
so a staff page costs no query for it; the queue page refreshes it (`remember_overdue`).
"""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from .selectors_queue import overdue_count

TTL_SECONDS = 60


def _key(user) -> str:
    return f"workflow:overdue:{user.pk}"


def remember_overdue(user, count: int | None = None) -> int:
    """Cache the badge's count (read now unless the caller just counted it)."""
    count = overdue_count(user) if count is None else count
    cache.set(_key(user), count, TTL_SECONDS)
    return count


def _cached_overdue(user) -> int:
    if not user or not user.is_authenticated:
        return 0
    count = cache.get(_key(user))
    return remember_overdue(user) if count is None else count


def staff_overdue(request):
    user = getattr(request, "user", None)
    return {"staff_overdue": SimpleLazyObject(lambda: _cached_overdue(user))}
