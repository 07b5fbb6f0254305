"""The real thing for WhatsApp journeys: a Celery worker subprocess (with embedded beat)
on the throw-away Redis and the test database, the Twilio stand-in, and the live server
receiving the stand-in's signed callbacks. Import the fixtures into a test module.

Starting a worker costs 10-13 s on a loaded machine, so a module's tests share one worker
and one stand-in: each test starts from a fresh stand-in (`reset()`), empty tables and an
empty cache and reads only its own part of the worker's log; a worker that a test killed,
or that lived through a Redis restart, is replaced by a new one when the next test asks.
The broker is a database of the suite's Redis apart from the cache's: tests/conftest.py
empties the cache before each test, which would take the worker's queue bindings along."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis as redis_lib
from django.db import connection

from config.celery import app as celery_app
from tests.integration.celery_helpers import use_broker
from tests.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, SENDER, TwilioStandIn

ROOT = Path(__file__).resolve().parents[2]
# Celery's line for each finished run of the outbox sweeper (every second in these tests).
SWEEP_DONE = re.compile(rb"Task notifications\.tasks\.sweep_outbox\[[^\]]+\] succeeded")


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    """`celery -A config worker --pool=solo -B` as a subprocess; stop() always reaps it."""

    def __init__(self, env: dict, workdir: Path, name: str):
        self.env = env
        self.workdir = workdir
        self.name = name
        self.log_path = workdir / f"{name}.log"
        self.proc: subprocess.Popen | None = None
        self.log_start = 0  # where the current test's part of the log begins

    def start(self, timeout: float = 60.0) -> "Worker":
        celery = Path(sys.executable).parent / "celery"
        self.log_file = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [
                str(celery),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-B",
                "-s",
                str(self.workdir / f"{self.name}-beat-schedule"),
                "--loglevel=INFO",
                "-n",
                f"{self.name}@%h",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"celery worker exited:\n{self.output()}")
            if b" ready." in self.log_path.read_bytes():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"celery worker not ready after {timeout}s:\n{self.output()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no ack, exactly like a crashed machine."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        if getattr(self, "log_file", None):
            self.log_file.close()

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def mark(self) -> None:
        """What the worker logs from now on is the current test's."""
        self.log_start = self.log_path.stat().st_size if self.log_path.exists() else 0

    def log(self) -> bytes:
        """The current test's part of the log."""
        if not self.log_path.exists():
            return b""
        with open(self.log_path, "rb") as handle:
            handle.seek(self.log_start)
            return handle.read()

    def output(self) -> str:
        return self.log().decode(errors="replace")[-6000:]

    def log_contains(self, pattern: bytes) -> bool:
        return re.search(pattern, self.log()) is not None


class Stack:
    def __init__(self, *, standin, live_server, tmp_path, redis_url):
        self.standin = standin
        self.live_server = live_server
        self.tmp_path = tmp_path
        self.redis_url = redis_url
        self.started = 0
        self.shared: Worker | None = None  # the module's worker (default environment)
        self.workers: list[Worker] = []  # the workers the current test has used

    def worker_env(self, **overrides) -> dict:
        env = dict(os.environ)
        env.update(
            DEBUG="1",
            DATABASE_URL=database_url(),
            REDIS_URL=self.redis_url,
            CACHE_URL=os.environ["ALUR_TEST_REDIS_URL"],  # the test process's cache
            WHATSAPP_BACKEND="twilio",
            TWILIO_ACCOUNT_SID=ACCOUNT_SID,
            TWILIO_AUTH_TOKEN=AUTH_TOKEN,
            TWILIO_WHATSAPP_FROM=SENDER,
            TWILIO_API_BASE_URL=self.standin.url,
            TWILIO_HTTP_TIMEOUT="10",
            PUBLIC_BASE_URL=self.live_server.url,
            NOTIFICATIONS_SWEEP_SECONDS="1",
            NOTIFICATIONS_LOST_AFTER_SECONDS="2",
            NOTIFICATIONS_SENDING_TIMEOUT_SECONDS="6",
            NOTIFICATIONS_RETRY_BASE_SECONDS="0.3",
            LOG_LEVEL="INFO",
        )
        env.update(overrides)
        return env

    def start_worker(self, **env) -> Worker:
        """The module's running worker, or a new one (always new with `env` overrides)."""
        if not env and self.shared is not None and self.shared.alive:
            worker = self.shared
        else:
            self.started += 1
            worker = Worker(self.worker_env(**env), self.tmp_path, f"w{self.started}")
            worker.start()
            if not env:
                self.shared = worker
        if worker not in self.workers:
            worker.mark()
            self.workers.append(worker)
        return worker

    def begin_test(self) -> None:
        self.workers = []

    def end_test(self, *, restart: bool) -> None:
        """Kill what the next test must not inherit: workers with overrides, and with
        `restart` (Redis was restarted under it) the shared one too. SIGKILL, not a warm
        shutdown's 4-5 s: nothing a dying worker still does matters."""
        for worker in self.workers:
            if worker is not self.shared or restart:
                worker.kill()
                worker.stop()  # reaps nothing more; closes the log
        if restart or (self.shared is not None and not self.shared.alive):
            self.shared = None
        self.workers = []

    def stop(self) -> None:
        if self.shared is not None:
            self.shared.kill()
            self.shared.stop()
            self.shared = None

    def logs(self) -> str:
        return "\n".join(f"--- {w.name}\n{w.output()}" for w in self.workers)

    def sweeps(self) -> int:
        """How many sweeper runs the current test's workers have finished (their logs)."""
        return sum(len(SWEEP_DONE.findall(w.log())) for w in self.workers)

    def wait_for_sweeps(self, count: int, timeout: float = 30.0) -> None:
        """Wait until `count` more sweeper runs have finished: the one that was running
        when called may have read the outbox before, so callers count one extra."""
        start = self.sweeps()
        wait_until(lambda: self.sweeps() >= start + count, timeout=timeout, what="sweeps")


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.1, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")


@pytest.fixture(scope="module")
def module_stack(django_db_setup, live_server, tmp_path_factory):
    """One stand-in and (once a test asks for it) one worker for the module's tests."""
    base, cache_db = os.environ["ALUR_TEST_REDIS_URL"].rsplit("/", 1)
    broker_url = f"{base}/{int(cache_db) + 8}"  # apart from every xdist worker's cache
    redis_lib.Redis.from_url(broker_url).flushdb()  # nothing queued by an earlier module
    with TwilioStandIn() as twilio:
        the_stack = Stack(
            standin=twilio,
            live_server=live_server,
            tmp_path=tmp_path_factory.mktemp("whatsapp"),
            redis_url=broker_url,
        )
        try:
            yield the_stack
        finally:
            the_stack.stop()


@pytest.fixture
def standin(module_stack):
    module_stack.standin.reset()
    return module_stack.standin


@pytest.fixture
def stack(transactional_db, live_server, settings, standin, module_stack):
    """Worker not started yet: `stack.start_worker()`. Dispatch from this process goes to
    the real Redis, callbacks come to the live server."""
    from notifications import services_delivery
    from tests import servers

    settings.PUBLIC_BASE_URL = live_server.url
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_WHATSAPP_FROM = SENDER
    settings.TWILIO_API_BASE_URL = standin.url
    settings.WHATSAPP_BACKEND = "twilio"
    redis_before = servers.redis.proc if servers.redis is not None else None
    module_stack.begin_test()
    services_delivery._broker_down_until = 0.0
    try:
        with use_broker(celery_app, module_stack.redis_url):
            yield module_stack
    finally:
        if servers.redis is not None and not servers.redis.running:
            servers.redis.start()
        restarted = servers.redis is not None and servers.redis.proc is not redis_before
        standin.wait_callbacks_done()  # before the tables are emptied
        module_stack.end_test(restart=restarted)
        services_delivery._broker_down_until = 0.0
