"""Seed a realistic history in bulk: requests across the demo offices' public services, in
every status, with their history, tasks, outbox messages and (open ones) viewflow
processes, made inside PostgreSQL (`INSERT ... SELECT` from generate_series; the SQL is
bench/seed_sql.py, its small inputs bench/catalogue.py).

    DEBUG=1 DATABASE_URL=... python -m bench.seed 1000000 10000

The demo organisation and catalogue come from `seed_demo` first. One unit (PTSP of
Kota Jambi, the counter everyone passes through) gets a fixed queue of open, unclaimed
step-1 tasks, so the staff-queue figures are for a known queue size. Registration
numbers are in the real format, unique per office and year, in submission order, and the
allocator's counters are moved past them, so the next submission gets a fresh number.
"""

import datetime
import os
import sys
import time
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from bench import catalogue, seed_sql

QUEUE_UNIT = ("KJB", "ptsp")
# Open requests (under way, received, returned) besides the measured unit's queue: a
# share of the total, all from the last two weeks; the rest are finished.
OPEN_SHARE = 0.04
FIRST_NAMES = ["Siti", "Ahmad", "Nur", "Muhammad", "Dewi", "Rizki", "Fitri", "Agus", "Rina"]
LAST_NAMES = ["Aminah", "Hidayat", "Lestari", "Saputra", "Rahmawati", "Nasution", "Siregar"]
# Bulk-loaded tables: their foreign keys are checked once, set-based, after the load
# (re-adding the constraint), instead of one trigger call per row.
TABLES = [
    "workflow_servicerequest",
    "workflow_document",
    "workflow_task",
    "workflow_requestevent",
    "notifications_message",
    "viewflow_process",
    "viewflow_task",
    "viewflow_task_previous",
]

TEMP_TABLES = [
    "s_service",
    "s_step",
    "s_staff",
    "s_text",
    "s_day",
    "s_prefix",
    "s_doc",
    "s_plan",
    "s_req0",
    "s_req",
    "s_task",
    "s_flow",
]


def bench_services() -> None:
    """Two services at the PTSP of Kota Jambi for the write figures: one answered by a
    JSON submission (no document), one with a PDF; two steps, so an approval of step 1
    is a real move to step 2."""
    from organization.models import Unit
    from services_catalog.models import FormField, RequiredDocument, ServiceType, Step

    unit = Unit.objects.get(office__code=QUEUE_UNIT[0], code=QUEUE_UNIT[1])
    for code, with_pdf in (("bench-json", False), ("bench-pdf", True)):
        service, _ = ServiceType.objects.update_or_create(
            code=code,
            defaults={
                "name": f"Layanan uji beban ({code})",
                "unit": unit,
                "product": "Surat",
                "sla_working_days": 5,
                "display_order": 999,
            },
        )
        FormField.objects.update_or_create(
            service=service, code="keperluan", defaults={"label": "Keperluan", "order": 1}
        )
        if with_pdf:
            RequiredDocument.objects.update_or_create(
                service=service, code="ktp", defaults={"label": "KTP", "order": 1}
            )
        for order in (1, 2):
            Step.objects.update_or_create(
                service=service,
                order=order,
                defaults={"name": f"Langkah {order}", "unit": unit, "may_return": order == 1},
            )


def _insert(cursor, sql: str, model, values: dict, params: dict, **fmt) -> int:
    """INSERT ... SELECT into `model`'s table: `values` gives the SQL of some columns;
    every other concrete field gets its model default as a parameter (a field added later
    with a default does not break the bench)."""
    columns, exprs = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key and field.attname not in values:
            continue  # the table's identity numbers it
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in values:
            exprs.append(values[field.attname])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            exprs.append("now()")
        elif field.has_default() or field.blank or field.null:
            name = f"default_{field.column}"
            value = field.get_default() if field.has_default() else None
            if value is None and not field.null:
                value = ""
            params[name] = field.get_db_prep_save(value, connection)
            exprs.append(f"%({name})s")
        else:
            raise ValueError(f"{model.__name__}.{field.attname} needs a value")
    cursor.execute(sql.format(columns=", ".join(columns), values=", ".join(exprs), **fmt), params)
    return cursor.rowcount


def _script(cursor, sql: str, params: dict) -> int:
    """Run the statements of `sql`; return the rows the INSERTs wrote."""
    written = 0
    for statement in sql.split(";\n"):
        if statement.strip():
            cursor.execute(statement, params)
            if statement.lstrip().startswith("INSERT"):
                written += cursor.rowcount
    return written


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 (our names)
    return cursor.fetchone()[0]


def _drop_keys(cursor) -> list[str]:
    """Drop the bulk tables' foreign keys, unique constraints and secondary indexes
    (primary keys stay); return the statements that make them again. Building an index
    once from sorted rows and checking a foreign key with one join is several times
    faster than maintaining them row by row during the load."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
        "FROM pg_constraint WHERE contype IN ('f', 'u') AND conrelid::regclass::text = ANY(%s) "
        "ORDER BY contype = 'f' DESC",
        [TABLES],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index i "
        "WHERE indrelid::regclass::text = ANY(%s) AND NOT indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [TABLES],
    )
    indexes = cursor.fetchall()
    for table, name, _definition, _kind in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    # Indexes first, then unique constraints, then the foreign keys that may lean on them.
    return [definition for _name, definition in indexes] + [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition, kind in sorted(constraints, key=lambda c: c[3] == "f")
    ]


def _reset_sequences(cursor) -> None:
    for table in TABLES:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        )


def seed(total: int, queue_open: int, *, progress=None) -> dict:
    """Seed `total` requests, `queue_open` of them open and unclaimed in the measured
    unit; return the row counts, seconds (whole and per phase) and rows per second."""
    from notifications.models import Message
    from workflow.models import Document, RequestEvent, ServiceRequest, Task

    phases: dict[str, float] = {}

    def say(line):
        name, _, took = line.partition(": ")
        phases[name] = float(took.removesuffix(" s"))
        if progress:
            progress(line)

    started, cpu_started = time.perf_counter(), time.process_time()
    with connection.cursor() as cursor:
        db_cpu_started = _backend_cpu(cursor)
    bench_services()
    counts = {"today": timezone.localdate().isoformat()}
    with transaction.atomic(), connection.cursor() as cursor:
        # Checks still pending from earlier writes in this transaction (a test's) run now:
        # a table with pending trigger events cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Temporary tables live in temp_buffers (8 MB by default): beyond that every page of
        # the plan goes through the disk. Only settable before the session's first use.
        cursor.execute("SET temp_buffers = '3GB'")
        cursor.execute("SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '1GB'")
        if os.environ.get("SEED_EXPLAIN"):
            # Plans of the slow statements in the server log (profiling the seeder).
            cursor.execute(
                "LOAD 'auto_explain'; SET auto_explain.log_min_duration = '500ms'; "
                "SET auto_explain.log_analyze = on; SET log_min_duration_statement = 200"
            )
        info = catalogue.load(cursor, queue_unit=QUEUE_UNIT)
        queue_snos = [s for s in range(info["services"]) if _is_queue(cursor, s)]
        today = datetime.date.fromisoformat(counts["today"])
        params = {
            **info,
            "seed": 0.20261201,
            "total": total,
            "queue": queue_open if queue_snos else 0,
            "open": round(total * OPEN_SHARE),
            "queue_snos": queue_snos or [0],
            "today": today,
            "first_names": FIRST_NAMES,
            "last_names": LAST_NAMES,
            "note_returned": info["notes"]["returned"],
            "note_rejected": info["notes"]["rejected"],
            "sentinel_number": catalogue.NUMBER,
            "sentinel_token": catalogue.TOKEN,
            "request_base": _next_id(cursor, "workflow_servicerequest") - 1,
            "task_base": _next_id(cursor, "workflow_task"),
            "event_base": _next_id(cursor, "workflow_requestevent"),
            "message_base": _next_id(cursor, "notifications_message"),
            "process_base": _next_id(cursor, "viewflow_process") - 1,
            "flow_base": _next_id(cursor, "viewflow_task"),
            "event_slots": 2 * info["max_steps"] + 4,
        }
        # Messages take ids in the events' id space: keep them clear of existing ones.
        params["message_base"] = max(params["message_base"], 1)
        remake = [] if os.environ.get("SEED_KEEP_INDEXES") else _drop_keys(cursor)
        t0 = time.perf_counter()
        _script(cursor, seed_sql.PLAN, params)
        say(f"plan and numbers: {time.perf_counter() - t0:.1f} s")
        _script(cursor, seed_sql.STEPS, params)
        say(f"steps: {time.perf_counter() - t0:.1f} s")
        counts["requests"] = _insert(
            cursor, seed_sql.REQUESTS, ServiceRequest, seed_sql.REQUEST_VALUES, params
        )
        say(f"requests: {time.perf_counter() - t0:.1f} s")
        counts["documents"] = _insert(
            cursor, seed_sql.DOCUMENTS, Document, seed_sql.DOCUMENT_VALUES, params
        )
        say(f"documents: {time.perf_counter() - t0:.1f} s")
        counts["tasks"] = _insert(cursor, seed_sql.TASKS, Task, seed_sql.TASK_VALUES, params)
        say(f"tasks: {time.perf_counter() - t0:.1f} s")
        counts["events"] = _insert(
            cursor, seed_sql.EVENTS, RequestEvent, seed_sql.EVENT_VALUES, params
        )
        say(f"history: {time.perf_counter() - t0:.1f} s")
        counts["messages"] = _insert(
            cursor,
            seed_sql.MESSAGES,
            Message,
            seed_sql.MESSAGE_VALUES,
            params,
        )
        say(f"outbox: {time.perf_counter() - t0:.1f} s")
        counts["flow_rows"] = _script(cursor, seed_sql.FLOW, params)
        say(f"viewflow: {time.perf_counter() - t0:.1f} s")
        cursor.execute(seed_sql.COUNTERS)
        _reset_sequences(cursor)
        for statement in remake:
            cursor.execute(statement)
        say(f"indexes built, constraints checked: {time.perf_counter() - t0:.1f} s")
        cursor.execute(
            "SELECT count(*) FROM workflow_task t JOIN workflow_servicerequest r "
            "ON r.id = t.request_id JOIN organization_unit u ON u.id = t.unit_id "
            "JOIN organization_office o ON o.id = u.office_id WHERE t.status = 'open' "
            "AND t.assigned_to_id IS NULL AND o.code = %s AND u.code = %s",
            list(QUEUE_UNIT),
        )
        counts["open_in_queue_unit"] = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {', '.join(TEMP_TABLES)}")
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM notifications_message")
        counts["last_message_id"] = cursor.fetchone()[0]
    with connection.cursor() as cursor:
        # VACUUM (visibility map: index-only scans) needs to be outside a transaction;
        # inside one (a test) the statistics alone.
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        for table in TABLES:
            cursor.execute(f"{vacuum} {table}")
    counts["rows"] = sum(
        counts[k] for k in ("requests", "documents", "tasks", "events", "messages")
    )
    counts["rows"] += counts["flow_rows"]
    counts["seconds"] = round(time.perf_counter() - started, 1)
    counts["rows_per_s"] = round(counts["rows"] / max(counts["seconds"], 0.001))
    counts["phases"] = phases
    with connection.cursor() as cursor:
        db_cpu = _backend_cpu(cursor)
    counts["python_cpu_s"] = round(time.process_time() - cpu_started, 1)
    if db_cpu is not None and db_cpu_started is not None:
        counts["db_cpu_s"] = round(db_cpu - db_cpu_started, 1)
    return counts


def _backend_cpu(cursor) -> float | None:
    """CPU seconds the database backend has used so far (a local server: /proc), the
    figure other load on the machine disturbs least."""
    cursor.execute("SELECT pg_backend_pid()")
    try:
        fields = Path(f"/proc/{cursor.fetchone()[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _is_queue(cursor, sno: int) -> bool:
    cursor.execute("SELECT queue FROM s_service WHERE sno = %s", [sno])
    return cursor.fetchone()[0]


if __name__ == "__main__":
    import json
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    queue = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    result = seed(total, queue, progress=lambda line: print(line, file=sys.stderr, flush=True))
    print(json.dumps(result))
