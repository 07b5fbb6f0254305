"""BENCH_DB_DIR (bench/kept.py): a seeded database survives the bench, and every later run
measures a fresh copy of it, without the earlier run's writes."""

import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest

from bench.kept import seed_or_reuse
from tests.servers import PostgresServer


@pytest.fixture
def keep():
    # Not under pytest's tmp_path: the postgres user must be able to reach the cluster.
    path = Path(tempfile.mkdtemp(prefix="alur-bench-keep-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _sql(server, sql: str):
    url = server.url.replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchone()[0] if cursor.description else None


def test_the_seed_is_kept_and_each_run_gets_a_fresh_copy(keep):
    seeds, migrations = [], []

    def run(seed_rows: bool):
        server = PostgresServer(str(keep / "pg"))
        server.start()

        def seed():
            if not seed_rows:
                raise AssertionError("seeded again")
            seeds.append(1)
            _sql(server, "CREATE TABLE bench_row (n int); INSERT INTO bench_row VALUES (1), (2)")
            return {"requests": 2}

        stack = SimpleNamespace(keep=keep, postgres=server, manage=lambda *a: migrations.append(a))
        try:
            figures, reused = seed_or_reuse(stack, "1m", seed)
            count = _sql(server, "SELECT count(*) FROM bench_row")
            _sql(server, "INSERT INTO bench_row VALUES (99)")  # the run's own writes
            return figures, reused, count
        finally:
            server.stop()

    assert run(seed_rows=True) == ({"requests": 2}, False, 2)
    assert (keep / "seeded-1m.json").exists() and os.path.isdir(keep / "pg" / "data")
    for _ in range(2):  # the previous run's extra row is gone each time
        assert run(seed_rows=False) == ({"requests": 2}, True, 2)
    assert seeds == [1]
    assert migrations == [("migrate", "--noinput", "-v", "0")] * 2
