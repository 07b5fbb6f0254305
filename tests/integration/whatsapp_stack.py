"""The real thing for WhatsApp journeys: a Celery worker subprocess (with embedded beat)
on the throw-away Redis and the test database, the Twilio stand-in, and the live server
receiving the stand-in's signed callbacks. Import the fixtures into a test module."""

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

    def start(self, timeout: float = 60.0) -> "Worker":
        celery = Path(sys.executable).parent / "celery"
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
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
            stdout=self.log,
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
        if getattr(self, "log", None):
            self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def log_contains(self, pattern: bytes) -> bool:
        return self.log_path.exists() and re.search(pattern, self.log_path.read_bytes()) is not None


class Stack:
    def __init__(self, *, standin, live_server, tmp_path, redis_url):
        self.standin = standin
        self.live_server = live_server
        self.tmp_path = tmp_path
        self.redis_url = redis_url
        self.workers: list[Worker] = []

    def worker_env(self, **overrides) -> dict:
        env = dict(os.environ)
        env.update(
            DEBUG="1",
            DATABASE_URL=database_url(),
            REDIS_URL=self.redis_url,
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
        worker = Worker(self.worker_env(**env), self.tmp_path, f"w{len(self.workers) + 1}")
        self.workers.append(worker)
        return worker.start()

    def stop(self) -> None:
        """After the test nothing a worker still does matters (Redis and the database
        are emptied for the next test): SIGKILL, not a warm shutdown's 4-5 s each."""
        for worker in self.workers:
            worker.kill()
            worker.stop()  # reaps nothing more; closes the log

    def logs(self) -> str:
        return "\n".join(f"--- {w.name}\n{w.output()}" for w in self.workers)

    def sweeps(self) -> int:
        """How many sweeper runs the workers have finished so far (from their logs)."""
        return sum(
            len(SWEEP_DONE.findall(w.log_path.read_bytes()))
            for w in self.workers
            if w.log_path.exists()
        )

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


@pytest.fixture
def standin():
    with TwilioStandIn() as twilio:
        yield twilio


@pytest.fixture
def stack(transactional_db, live_server, settings, standin, tmp_path):
    """Worker not started yet: `stack.start_worker()`. Dispatch from this process goes to
    the real Redis, callbacks come to the live server."""
    redis_url = os.environ["ALUR_TEST_REDIS_URL"]
    redis_lib.Redis.from_url(redis_url).flushdb()
    settings.PUBLIC_BASE_URL = live_server.url
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_WHATSAPP_FROM = SENDER
    settings.TWILIO_API_BASE_URL = standin.url
    settings.WHATSAPP_BACKEND = "twilio"
    the_stack = Stack(
        standin=standin, live_server=live_server, tmp_path=tmp_path, redis_url=redis_url
    )
    from notifications import services_delivery

    services_delivery._broker_down_until = 0.0
    try:
        with use_broker(celery_app, redis_url):
            yield the_stack
    finally:
        the_stack.stop()
        from tests import servers

        if servers.redis is not None and not servers.redis.running:
            servers.redis.start()
        services_delivery._broker_down_until = 0.0
