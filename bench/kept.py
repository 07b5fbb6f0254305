"""BENCH_DB_DIR: seed once, measure many times. The seeded database is kept as a template
(`alur_seeded_<scale>`) beside the cluster; each run measures a fresh copy of it, so the
writes of one run (submissions, approvals, messages) never leak into the next."""

import json

import psycopg


def admin_sql(stack, sql: str) -> None:
    """One statement on the stack's server, outside any database (CREATE/DROP DATABASE)."""
    with psycopg.connect(
        host="127.0.0.1",
        port=stack.postgres.port,
        user="alur",
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(sql)


def _copy(stack, source: str, target: str) -> None:
    # FILE_COPY: a file-level copy of the cluster's files, minutes faster than PostgreSQL
    # 15's default (WAL_LOG) for a database of millions of rows.
    admin_sql(stack, f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
    admin_sql(stack, f'CREATE DATABASE "{target}" TEMPLATE "{source}" STRATEGY FILE_COPY')


def seed_or_reuse(stack, scale_name: str, seed) -> tuple[dict, bool]:
    """The seed's figures, and whether they come from an earlier run. `seed()` seeds the
    stack's database (the demo data, then the bulk rows) and returns its figures."""
    if stack.keep is None:
        return seed(), False
    name = "".join(c for c in scale_name if c.isalnum())
    template, marker = f"alur_seeded_{name}", stack.keep / f"seeded-{name}.json"
    if marker.exists():
        _copy(stack, template, "alur")
        stack.manage("migrate", "--noinput", "-v", "0")  # migrations newer than the seed
        return json.loads(marker.read_text()), True
    seeded = seed()
    _copy(stack, "alur", template)
    marker.write_text(json.dumps(seeded))
    return seeded, False
