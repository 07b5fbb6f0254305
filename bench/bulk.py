"""Bulk rows straight into PostgreSQL with COPY, shaped by the models' own metadata.

The seeder hands in dicts keyed by field attname; every other concrete field gets the
model's default (callables are called per row), so a field added later with a default
does not break the bench. Nullable fields without a default get NULL.
"""

import datetime
import io
import json

from django.db import connection
from django.db.models import NOT_PROVIDED, JSONField
from django.utils import timezone


def _columns(model):
    return [f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created)]


def _literal(field, value):
    if value is None:
        return r"\N"
    if isinstance(field, JSONField):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bool):
        value = "t" if value else "f"
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    else:
        value = str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _fill(fields, row, now):
    values = []
    for field in fields:
        if field.attname in row:
            values.append(row[field.attname])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append(now)
        elif field.default is not NOT_PROVIDED:
            values.append(field.get_default())
        elif field.null:
            values.append(None)
        elif field.blank:
            values.append("")
        else:
            raise ValueError(f"{field.model.__name__}.{field.attname} needs a value")
    return values


def copy_rows(model, rows, *, chunk=50_000, with_ids=False) -> int:
    """COPY `rows` (an iterable of attname dicts) into `model`'s table. With `with_ids`,
    every row must carry its own `id` (the sequence is moved past them afterwards)."""
    fields = _columns(model)
    if with_ids:
        fields = [model._meta.pk, *fields]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    now = timezone.now()
    total = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:

        def flush():
            if buffer.tell():
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    copy.write(buffer.getvalue())
                buffer.seek(0)
                buffer.truncate()

        for n, row in enumerate(rows, 1):
            values = _fill(fields, row, now)
            buffer.write(
                "\t".join(_literal(f, v) for f, v in zip(fields, values, strict=True)) + "\n"
            )
            if n % chunk == 0:
                flush()
            total = n
        flush()
        if with_ids:
            pk = model._meta.pk.column
            # Names from the model's metadata, not from input.
            sequence = f"pg_get_serial_sequence('{model._meta.db_table}', '{pk}')"
            cursor.execute(
                f"SELECT setval({sequence}, COALESCE((SELECT MAX({pk}) FROM {table}), 1))"  # noqa: S608
            )
    return total


def next_id(model) -> int:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
        return cursor.fetchone()[0]
