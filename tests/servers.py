"""pytest plugin (loaded with `-p tests.servers`): throw-away real PostgreSQL and Redis.

Started before Django's settings are read, so the whole suite runs on PostgreSQL.
`make test` installs the Debian packages first; run by hand without them, this stops
the run with the install command instead of skipping anything.

Set ALUR_TEST_DATABASE_URL / ALUR_TEST_REDIS_URL to reuse servers you already run.

Under pytest-xdist (`-n 2`, as `make test` runs) the controller runs no test and starts
nothing; each worker starts its own PostgreSQL, Redis and media folder, so one worker's
outage test (Redis stopped) or cache.clear() never reaches another's. Reusing servers you
run, the workers share them: pytest-django gives each its own test database
(test_alur_gw0, ...) and each worker takes its own Redis database number.
"""

import atexit
import fcntl
import glob
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

_started: list = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {timeout}s")


def _as_service_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class PostgresServer:
    def __init__(self, directory: str | None = None):
        """A throw-away server, or one whose data stays in `directory` across runs (the
        bench's seeded database: BENCH_DB_DIR)."""
        bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
        initdb = next((f"{d}/initdb" for d in bindirs if os.path.exists(f"{d}/initdb")), None)
        initdb = initdb or shutil.which("initdb")
        if not initdb:
            raise pytest.UsageError(
                "PostgreSQL server binaries not found. Install them: apt-get install -y postgresql"
            )
        self.bindir = os.path.dirname(initdb)
        self.port = free_port()
        self.kept = directory is not None
        self.dir = directory or tempfile.mkdtemp(prefix="alur-pg-")
        os.makedirs(self.dir, exist_ok=True)
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise pytest.UsageError(
                    "Running as root needs the 'postgres' system user: "
                    "apt-get install -y postgresql"
                ) from None
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.data = os.path.join(self.dir, "data")
        self.url = f"postgres://alur@127.0.0.1:{self.port}/alur"

    def _run(self, *args: str) -> None:
        subprocess.run(_as_service_user(list(args)), check=True, capture_output=True, cwd=self.dir)

    def start(self) -> None:
        if not os.path.exists(self.data):
            self._run(
                f"{self.bindir}/initdb",
                "-D",
                self.data,
                "-U",
                "alur",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
        opts = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        self._run(
            f"{self.bindir}/pg_ctl",
            "-D",
            self.data,
            "-o",
            opts,
            "-l",
            os.path.join(self.dir, "log"),
            "-w",
            "start",
        )
        subprocess.run(
            [
                f"{self.bindir}/createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "alur",
                "alur",
            ],
            check=False,
            capture_output=True,
        )

    def halt(self, mode: str = "fast") -> None:
        """Stop the server but keep its data (an outage); `start()` brings it back."""
        self._run(f"{self.bindir}/pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def stop(self) -> None:
        mode = "fast" if self.kept else "immediate"  # a kept cluster shuts down cleanly
        subprocess.run(
            _as_service_user([f"{self.bindir}/pg_ctl", "-D", self.data, "-m", mode, "stop"]),
            capture_output=True,
            cwd=self.dir,
        )
        if not self.kept:
            shutil.rmtree(self.dir, ignore_errors=True)


class ReplicaServer(PostgresServer):
    """A hot-standby streaming replica of a running server (pg_basebackup -R), on its own
    port: what DATABASE_REPLICA_URL points at in production."""

    def __init__(self, primary_port: int):
        super().__init__()
        self.primary_port = primary_port
        self.url = f"postgres://alur@127.0.0.1:{self.port}/alur"

    def start(self) -> None:
        if not os.path.exists(self.data):
            self._run(
                f"{self.bindir}/pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.primary_port),
                "-U",
                "alur",
                "-D",
                self.data,
                "-R",
                "-X",
                "stream",
                "--no-sync",
                "--checkpoint=fast",
            )
            os.chmod(self.data, 0o700)
        self._run(
            f"{self.bindir}/pg_ctl",
            "-D",
            self.data,
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c hot_standby=on "
            "-c max_connections=300",  # at least the primary's, or recovery refuses to start
            "-l",
            os.path.join(self.dir, "log"),
            "-w",
            "start",
        )


class RedisServer:
    """A Redis on a fixed port; `stop()`/`start()` simulate an outage and its end."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if not binary:
            raise pytest.UsageError(
                "redis-server not found. Install it: apt-get install -y redis-server"
            )
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_port(self.port)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


# --- one migration run per machine, not one per worker and run ---------------------------
# Migrating an empty database costs 40 s of CPU on a quiet 2-core machine (over 3 minutes
# while other suites run): most of it is Django rendering the model states of ~45
# migrations, not SQL. So the suite migrates a database named TEMPLATE once, keeps a dump
# of it (pg_dump, ~350 kB) in CACHE under a key of everything that decides its contents,
# and every later server (each xdist worker, each run, each clone on this machine)
# restores that dump in ~2 s; pytest-django then creates the test database with
# `CREATE DATABASE ... TEMPLATE` (tests/conftest.py). A changed migration, requirement,
# Python or PostgreSQL makes a new key, and the first server to need it migrates again.
TEMPLATE = "alur_migrated"
ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("ALUR_TEST_CACHE") or Path.home() / ".cache" / "alur-tests")


def _migrations_key(bindir: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{bindir}\n{sys.version}\n".encode())
    for path in sorted([ROOT / "requirements.txt", *ROOT.glob("*/migrations/*.py")]):
        digest.update(f"{path.relative_to(ROOT)}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_template(server: PostgresServer) -> None:
    """Database TEMPLATE on `server`, fully migrated: restored from the cached dump, or
    (the first time for this key, one process at a time) migrated and dumped."""
    CACHE.mkdir(parents=True, exist_ok=True)
    dump = CACHE / f"migrated-{_migrations_key(server.bindir)}.dump"
    address = ["-h", "127.0.0.1", "-p", str(server.port), "-U", "alur"]
    subprocess.run([f"{server.bindir}/createdb", *address, TEMPLATE], check=True)
    with open(dump.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another worker or run may be making this one
        if not dump.exists():
            url = server.url.rsplit("/", 1)[0] + "/" + TEMPLATE
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=ROOT,
                env={**os.environ, "DEBUG": "1", "DATABASE_URL": url},
                check=True,
            )
            partial = dump.with_suffix(f".{os.getpid()}")
            subprocess.run(
                [f"{server.bindir}/pg_dump", *address, "-Fc", "-f", str(partial), TEMPLATE],
                check=True,
            )
            partial.rename(dump)
            for old in CACHE.glob("migrated-*.dump"):  # other keys, unused for a week
                if time.time() - old.stat().st_mtime > 7 * 86400:
                    old.unlink(missing_ok=True)
            return
        dump.touch()  # in use: kept by the clean-up above
    subprocess.run(
        [f"{server.bindir}/pg_restore", *address, "--no-owner", "-d", TEMPLATE, str(dump)],
        check=True,
        capture_output=True,
    )


postgres: PostgresServer | None = None
redis: RedisServer | None = None


def _shutdown() -> None:
    while _started:
        _started.pop().stop()


def _xdist_controller(early_config) -> bool:
    """True in the process that only hands the tests to xdist workers."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return False
    options = early_config.known_args_namespace
    workers = getattr(options, "numprocesses", None)
    if workers in ("auto", "logical"):
        return not getattr(options, "usepdb", False)
    return bool(workers) or bool(getattr(options, "tx", None))


def _worker_redis_db(url: str) -> str:
    """A user-provided Redis, shared by the workers: worker gwN uses database N + 1."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return url
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    return f"{base}/{int(worker[2:]) + 1}"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    global postgres, redis
    os.environ.setdefault("DEBUG", "1")
    if _xdist_controller(early_config):
        return
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="alur-media-"))
    if not os.environ.get("ALUR_TEST_DATABASE_URL"):
        postgres = PostgresServer()
        postgres.start()
        _started.append(postgres)
        atexit.register(_shutdown)
        os.environ["ALUR_TEST_DATABASE_URL"] = postgres.url
        prepare_template(postgres)
        os.environ["ALUR_TEST_DATABASE_TEMPLATE"] = TEMPLATE
    if not os.environ.get("ALUR_TEST_REDIS_URL"):
        redis = RedisServer()
        redis.start()
        _started.append(redis)
        atexit.register(_shutdown)
        os.environ["ALUR_TEST_REDIS_URL"] = redis.url
    else:
        os.environ["ALUR_TEST_REDIS_URL"] = _worker_redis_db(os.environ["ALUR_TEST_REDIS_URL"])
    # The suite runs on PostgreSQL; background work stays in-process unless a test
    # starts a real Celery worker against ALUR_TEST_REDIS_URL.
    os.environ["DATABASE_URL"] = os.environ["ALUR_TEST_DATABASE_URL"]
    os.environ.pop("REDIS_URL", None)
    # Cache and rate limits on the real Redis, as deployed (an in-memory cache once hid a
    # Redis-down 500). tests/conftest.py empties it before each test.
    os.environ["CACHE_URL"] = os.environ["ALUR_TEST_REDIS_URL"]


def pytest_unconfigure(config):
    _shutdown()
