"""A read replica for public lookups (optional: DATABASE_REPLICA_URL).

Only code that asks for it reads the replica: `with public_read(): ...` around a public
lookup (tracking/cache.py does it, and only when it can tell the replica is current for
that number). Everything else, staff pages and every write included, stays on the
primary, so nobody reads their own write from a replica that has not replayed it yet.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections

REPLICA = "replica"

_public_read: ContextVar[bool] = ContextVar("alur_public_read", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.databases


@contextmanager
def public_read():
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


class PublicReadReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA  # it follows the primary's migrations by replication


def replica_caught_up() -> bool:
    """Whether the replica has replayed everything the primary had written when asked
    (WAL positions, so an idle primary does not look like lag). False when unknown.

    The primary's *insert* position, not its write position: with asynchronous commit a
    committed transaction's commit record can still be in the WAL buffers, behind the
    write position, and a replica "caught up" to that would serve the state before it."""
    if not replica_configured():
        return False
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
            primary = cursor.fetchone()[0]
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [primary])
            row = cursor.fetchone()
    except Exception:  # noqa: BLE001 - a replica outage (or no replica) means the primary
        return False
    return bool(row and row[0])
