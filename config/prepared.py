"""A hot read as a server-side prepared statement, prepared once per database session.

PostgreSQL plans a query every time it receives its text: for the public lookup (one
row with two JSON array subqueries) planning took 0.69 ms and running it 0.24 ms
(EXPLAIN ANALYZE, mean of 200 numbers, bench stack), on every cache miss. Prepared, it is
planned for its first five runs and then runs its cached generic plan: 0.01 ms of
planning, 0.12 ms of execution.

Django prepares nothing (psycopg's automatic preparation is off, `prepare_threshold`
None, so that transaction poolers work), and its compiled SQL cannot be prepared with
psycopg's server-side binding (untyped constants such as JSON keys are parameters). So
the query is prepared in SQL, with its constants inlined and the one value as `$1`:
`PREPARE name AS ...` once per session, then `EXECUTE name(%s)` through Django's own
cursor (counted, logged and routed as any query). A session is psycopg's connection
object: a reset (CONN_MAX_AGE, a failed health check, a restarted server) opens a new
one, which is prepared anew. Prepared statements are not transactional (a rollback
keeps them). Not behind a transaction-pooling PgBouncer (README, Scaling out).

`execute` does the same for any query the ORM compiled (`CompiledOnce`, the staff
queue's rows, the session and user of a signed-in request): named by a digest of its
text, each id, day or `Varying` string a `$n`, prepared on the session the first time it
runs there (at most MAX_PER_SESSION such statements per session).
"""

import datetime
import decimal
import functools
import hashlib
import re
import weakref

from django.db import connections, utils
from psycopg import errors

# A stand-in string no real value is: a registration key is letters, digits and dashes.
STAND_IN = "alur stand-in 7f3c"


class PreparedQuery:
    """`build(STAND_IN)`'s query as the prepared statement `name`, with `$1` in place of
    the stand-in string parameter."""

    def __init__(self, name: str, build):
        self.name = name
        self._build = build
        self._sql: dict[str, str] = {}
        self._sessions: weakref.WeakSet = weakref.WeakSet()  # psycopg connections

    def statement(self, alias: str) -> str:
        """The PREPARE statement for database `alias`, compiled once per process."""
        if alias not in self._sql:
            connection = connections[alias]
            sql, params = self._build(STAND_IN).query.get_compiler(using=alias).as_sql()
            inlined = connection.ops.compose_sql(sql, params)
            literal = connection.ops.compose_sql("%s", [STAND_IN])
            if inlined.count(literal) != 1 or "$1" in inlined:
                raise RuntimeError(f"cannot prepare {sql}: the stand-in is not one parameter")
            self._sql[alias] = f"PREPARE {self.name} AS {inlined.replace(literal, '$1')}"
        return self._sql[alias]

    def fetchone(self, alias: str, value: str):
        """The first row of the query with `value` for the stand-in, or None.

        Without the request's health check (CONN_HEALTH_CHECKS: a `SELECT 1` before the
        request's first query, a second round trip on every lookup that misses the
        cache): the lookup checks the session itself. A session found dead (a restarted
        server, a dropped link) is what that check would have found, and the lookup runs
        again on a new one, as after a failed check."""
        connection = connections[alias]
        unchecked = (
            connection.connection is not None
            and connection.health_check_enabled
            and not connection.health_check_done
            and not connection.in_atomic_block
        )
        if unchecked:
            connection.health_check_done = True  # this lookup is the check
        try:
            return self._fetchone(connection, alias, value)
        except utils.Error:
            session = connection.connection
            if not unchecked or session is None or not (session.closed or session.broken):
                raise
        connection.close()
        return self._fetchone(connection, alias, value)

    def _fetchone(self, connection, alias: str, value: str):
        with connection.cursor() as cursor:
            session = connection.connection  # after cursor(): connected
            if session not in self._sessions:
                cursor.execute(self.statement(alias))
                self._sessions.add(session)
            try:
                cursor.execute(f"EXECUTE {self.name}(%s)", [value])
            except utils.ProgrammingError as exc:
                # Deallocated behind our back (DISCARD ALL, DEALLOCATE ALL): prepare it
                # again, where no transaction was aborted by the failure.
                lost = isinstance(exc.__cause__, errors.InvalidSqlStatementName)
                if not lost or connection.in_atomic_block:
                    raise
                cursor.execute(self.statement(alias))
                cursor.execute(f"EXECUTE {self.name}(%s)", [value])
            return cursor.fetchone()


# --- any compiled query, prepared under the digest of its text -------------------------

# Statements of this kind a session keeps at most (the oldest is deallocated beyond).
MAX_PER_SESSION = 200
_PLACEHOLDER = re.compile(r"%(.)", re.DOTALL)
# Parameters that become `$n`: ids, days and times, what changes between runs. Strings
# and booleans are the query's constants (statuses, roles) and are written into the
# statement: a generic plan must see `status = 'open'` to use the open tasks' partial
# indexes (with `status = $8` it read all 10,000 open tasks of a unit, bench stack).
_VARYING = (int, float, datetime.date, datetime.datetime, decimal.Decimal)
_sessions: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # psycopg conn -> names
_refused: set[str] = set()  # statements PostgreSQL would not prepare (kept plain)


class Varying(str):
    """A string parameter that changes between runs (a session key): a `$n` like ids and
    days, where every other string is one of the query's constants."""


def _varying(param) -> bool:
    if isinstance(param, _VARYING):
        return not isinstance(param, bool)
    return isinstance(param, Varying)  # a str: psycopg and sqlite3 bind it as one


def _constant(param):
    """None for a parameter that stays one, else (param,): written into the statement."""
    return None if _varying(param) else (param,)


@functools.lru_cache(maxsize=2048)
def _named(alias: str, sql: str, constants: tuple) -> tuple[str, str, int] | None:
    """(name, PREPARE statement, count of `$n`) of Django's compiled `sql` (`%s` for each
    parameter, `%%` for a percent sign), `constants` (None for each varying parameter)
    written in; None when it is not of that shape."""
    if "$" in sql:
        return None
    ops = connections[alias].ops
    values = iter(constants)
    count = 0

    def swap(match):
        nonlocal count
        if match.group(1) == "%":
            return "%"
        if match.group(1) != "s":
            raise ValueError(match.group(0))
        constant = next(values)
        if constant is None:
            count += 1
            return f"${count}"
        return ops.compose_sql("%s", [constant[0]])

    try:
        body = _PLACEHOLDER.sub(swap, sql)
    except (ValueError, StopIteration):
        return None
    if next(values, _END) is not _END:
        return None
    name = "alur_q_" + hashlib.blake2b(body.encode(), digest_size=10).hexdigest()
    return name, f"PREPARE {name} AS {body}", count


_END = object()


def _prepare(connection, session, name: str, statement: str) -> bool:
    """PREPARE on the session itself: set-up once per session, like the connection's own
    SET statements, so not one of the queries a request is counted for. Inside a
    transaction, behind a savepoint: a refusal must not abort it."""
    inside = not session.autocommit
    try:
        if inside:
            session.execute("SAVEPOINT alur_prepare")
        session.execute(statement)
    except errors.Error:
        if inside:
            session.execute("ROLLBACK TO SAVEPOINT alur_prepare")
            session.execute("RELEASE SAVEPOINT alur_prepare")
        _refused.add(name)
        return False
    if inside:
        session.execute("RELEASE SAVEPOINT alur_prepare")
    names = _sessions.setdefault(session, {})
    names[name] = None
    while len(names) > MAX_PER_SESSION:
        oldest = next(iter(names))
        session.execute(f"DEALLOCATE {oldest}")
        del names[oldest]
    return True


def execute(alias: str, cursor, sql: str, params) -> None:
    """Run Django's compiled `sql` with `params` on `cursor` (a cursor of `alias`) as a
    prepared statement on PostgreSQL: planned by its first runs on the connection, then
    by its cached generic plan when PostgreSQL finds that one as good (the staff queue's
    reach, rows and header checks spent more of PostgreSQL's time planning than running,
    profiled). Elsewhere, or for a text PostgreSQL refuses to prepare, the query runs as
    given. The caller fetches the rows from `cursor`. Only for queries run over and over
    with other ids and days: each distinct text of constants is a statement of its own."""
    connection = connections[alias]
    found = None
    if connection.vendor == "postgresql":
        found = _named(alias, sql, tuple(_constant(p) for p in params))
    if found is None or found[0] in _refused:
        cursor.execute(sql, params)
        return
    name, statement, count = found
    values = [p for p in params if _varying(p)]
    session = connection.connection  # the caller's cursor(): connected, health-checked
    if name not in _sessions.get(session, ()) and not _prepare(
        connection, session, name, statement
    ):
        cursor.execute(sql, params)
        return
    run = f"EXECUTE {name}({', '.join(['%s'] * count)})" if count else f"EXECUTE {name}"
    try:
        cursor.execute(run, values)
    except utils.ProgrammingError as exc:
        # Deallocated behind our back (DISCARD ALL, DEALLOCATE ALL): prepare it again,
        # where no transaction was aborted by the failure.
        lost = isinstance(exc.__cause__, errors.InvalidSqlStatementName)
        if not lost or connection.in_atomic_block:
            raise
        _sessions.get(session, {}).pop(name, None)
        if not _prepare(connection, session, name, statement):
            cursor.execute(sql, params)
            return
        cursor.execute(run, values)
