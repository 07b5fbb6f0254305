"""The outbox's hot statements, written out: one round trip each.

Profiled (#11, docs/PERFORMANCE.md): building and compiling the ORM's statements was most
of a delivered message's worker CPU and of a status callback's web CPU. These are the
statements the ORM would send, minus the read before each write: the claim returns the
row it claimed, a status callback's history row finds its message in the same INSERT.
Plain SQL that PostgreSQL and SQLite (3.35+, RETURNING) both run (a sent message's
outcome, one data-modifying WITH on PostgreSQL, is two statements in a transaction on
SQLite); names come from the models' metadata. Only `services_delivery` and
`services_inbound` call these.
"""

from functools import cache

from django.db import connection, transaction

from notifications.models import DeliveryAttempt, Message, MessageStatus, StatusCallback


def _names(model, *fields) -> tuple[str, list[str]]:
    meta = model._meta
    quote = connection.ops.quote_name
    return quote(meta.db_table), [quote(meta.get_field(f).column) for f in fields]


def _stamp(value):
    return connection.ops.adapt_datetimefield_value(value)


@cache
def _claim_sql() -> str:
    table, (pk, status, claimed, changed, attempts, sid, next_at) = _names(
        Message, "id", "status", "claimed_at", "status_changed_at", "attempts",
        "provider_sid", "next_attempt_at",
    )  # fmt: skip
    columns = ", ".join(connection.ops.quote_name(f.column) for f in Message._meta.concrete_fields)
    return (
        f"UPDATE {table} SET {status} = %s, {claimed} = %s, {changed} = %s, "  # noqa: S608
        f"{attempts} = {attempts} + 1 "
        f"WHERE {pk} = %s AND {status} = %s AND {sid} IS NULL "
        f"AND ({next_at} IS NULL OR {next_at} <= %s) RETURNING {columns}"
    )


@cache
def _row_loader() -> tuple[list[str], list[tuple[int, list]]]:
    """A RETURNING row of every concrete field -> `Message.from_db`'s values: the field
    names, and per column the converters the ORM would apply (JSON, SQLite's dates).
    Profiled (#11): a RawQuerySet around the claim cost more CPU than the statement."""
    fields = Message._meta.concrete_fields
    names = [f.attname for f in fields]
    converters = []
    for i, field in enumerate(fields):
        col = field.get_col(Message._meta.db_table)
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((i, found))
    return names, converters


def message_claim(*, message_id: int, now, due_by) -> Message | None:
    """queued -> sending for this worker, attempts + 1, and the claimed row back; None
    when the row is not queued, already has a provider id, or is not due by `due_by`
    (another worker has it, it was sent, or a retry is scheduled later)."""
    stamp = _stamp(now)
    with connection.cursor() as cursor:
        cursor.execute(
            _claim_sql(),
            [MessageStatus.SENDING, stamp, stamp, message_id, MessageStatus.QUEUED, _stamp(due_by)],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    names, converters = _row_loader()
    values = list(row)
    for i, functions in converters:
        for convert in functions:
            values[i] = convert(values[i], None, connection)
    return Message.from_db(connection.alias, names, values)


@cache
def _accepted_sql() -> str:
    table, (pk, sid, backend, sent, code, text, status, changed) = _names(
        Message, "id", "provider_sid", "backend", "sent_at", "error_code", "error_message",
        "status", "status_changed_at",
    )  # fmt: skip
    behind = f"{status} IN (%s, %s)"
    return (
        f"UPDATE {table} SET {sid} = %s, {backend} = %s, {sent} = COALESCE({sent}, %s), "  # noqa: S608
        f"{code} = '', {text} = '', "
        f"{status} = CASE WHEN {behind} THEN %s ELSE {status} END, "
        f"{changed} = CASE WHEN {behind} THEN %s ELSE {changed} END "
        f"WHERE {pk} = %s"
    )


def _accepted_params(message_id, provider_sid, backend, at) -> list:
    stamp = _stamp(at)
    behind = [MessageStatus.QUEUED, MessageStatus.SENDING]
    return [provider_sid, backend, stamp, *behind, MessageStatus.SENT, *behind, stamp, message_id]


def message_mark_accepted(*, message_id: int, provider_sid: str, backend: str, at) -> None:
    """The provider accepted it: its id, and `sent` unless a status callback has already
    moved the row further (forward only; every SET reads the row as it was)."""
    with connection.cursor() as cursor:
        cursor.execute(_accepted_sql(), _accepted_params(message_id, provider_sid, backend, at))


@cache
def _attempt_sql() -> str:
    fields = (
        "message", "number", "backend", "started_at", "finished_at", "outcome",
        "provider_sid", "error_code", "error_message",
    )  # fmt: skip
    table, columns = _names(DeliveryAttempt, *fields)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608


def _attempt_params(
    *, message_id, number, backend, started_at, finished_at, outcome, provider_sid="",
    error_code="", error_message="",
) -> list:  # fmt: skip
    return [
        message_id, number, backend, _stamp(started_at), _stamp(finished_at), outcome,
        provider_sid, error_code, error_message[:500],
    ]  # fmt: skip


def attempt_record(**attempt) -> None:
    """One finished attempt, with its outcome (the claim itself marks it in flight):
    `_attempt_params`' arguments."""
    with connection.cursor() as cursor:
        cursor.execute(_attempt_sql(), _attempt_params(**attempt))


def attempt_accepted_record(*, channel: str, **attempt) -> None:
    """An accepted attempt and `message_mark_accepted` together, atomically: on
    PostgreSQL one statement (the INSERT in a WITH before the UPDATE: one round trip,
    no BEGIN/COMMIT; profiled, #11), elsewhere both in a transaction. `channel`: the
    name the row's `backend` gets; `attempt` as `_attempt_params`, with its provider_sid."""
    accepted = _accepted_params(
        attempt["message_id"], attempt["provider_sid"], channel, attempt["finished_at"]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH attempt AS ({_attempt_sql()}) {_accepted_sql()}",
                [*_attempt_params(**attempt), *accepted],
            )
        return
    with transaction.atomic():
        attempt_record(**attempt)
        with connection.cursor() as cursor:
            cursor.execute(_accepted_sql(), accepted)


def message_advance(*, changes: dict, where: dict, before: list[str]) -> int | None:
    """UPDATE the one row matching `where` (provider_sid or id) with `changes` when its
    status is one of `before`; its id, or None when nothing moved. Values of `changes`
    may be ("coalesce", value): keep the column's value when it has one."""
    meta = Message._meta
    quote = connection.ops.quote_name
    sets, params = [], []
    for name, value in changes.items():
        column = quote(meta.get_field(name).column)
        if isinstance(value, tuple):
            sets.append(f"{column} = COALESCE({column}, %s)")
            value = value[1]
        else:
            sets.append(f"{column} = %s")
        params.append(_stamp(value) if hasattr(value, "tzinfo") else value)
    ((name, value),) = where.items()
    marks = ", ".join(["%s"] * len(before))
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} "  # noqa: S608
        f"WHERE {quote(meta.get_field(name).column)} = %s "
        f"AND {quote(meta.get_field('status').column)} IN ({marks}) "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, value, *before])
        row = cursor.fetchone()
    return row[0] if row else None


@cache
def _callback_sql() -> str:
    table, (pk, message, sid, status, code, applied, received) = _names(
        StatusCallback, "id", "message", "provider_sid", "provider_status", "error_code", "applied",
        "received_at",
    )  # fmt: skip
    messages, (message_pk, message_sid) = _names(Message, "id", "provider_sid")
    return (
        f"INSERT INTO {table} ({message}, {sid}, {status}, {code}, {applied}, {received}) "  # noqa: S608
        f"VALUES (COALESCE(%s, (SELECT {message_pk} FROM {messages} WHERE {message_sid} = %s)), "
        f"%s, %s, %s, %s, %s) RETURNING {pk}, {message}"
    )


def callback_record(
    *, message_id, provider_sid, provider_status, error_code, applied, at
) -> tuple[int, int | None]:
    """The audit row of one status callback; its message is `message_id`, else the row
    with that provider id (looked up in the same statement). Returns the audit row's id
    and the message's (None when no row has that provider id)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _callback_sql(),
            [
                message_id, provider_sid, provider_sid, provider_status, error_code, applied,
                _stamp(at),
            ],
        )  # fmt: skip
        return tuple(cursor.fetchone())
