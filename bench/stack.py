"""The system as deployed, for measuring: throw-away PostgreSQL and Redis, gunicorn with
production settings (plus the floor view), one Celery worker and the Twilio stand-in."""

import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from bench.kept import admin_sql
from tests.servers import TEMPLATE, PostgresServer, RedisServer, free_port, prepare_template
from tests.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, SENDER, TwilioStandIn

ROOT = Path(__file__).resolve().parent.parent
UNLIMITED = "100000000/min"  # rate limits would measure the limiter, not the system


class Stack:
    def __init__(self, *, web_workers: int = 2, keep: Path | None = None):
        """`keep`: a folder where the database cluster, media and secret key stay between
        runs (BENCH_DB_DIR: seed a million requests once, measure many times)."""
        self.web_workers = web_workers
        self.keep = keep
        self.postgres = PostgresServer(str(keep / "pg") if keep else None)
        self.redis = RedisServer()
        self.twilio = TwilioStandIn()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if keep:
            (keep / "media").mkdir(parents=True, exist_ok=True)
            keep.chmod(0o755)  # the postgres user reaches its cluster inside
            secret = keep / "secret"
            if not secret.exists():
                secret.touch(mode=0o600)
                secret.write_text(secrets.token_urlsafe(50))
            self.media, self.secret_key = str(keep / "media"), secret.read_text()
        else:
            self.media = tempfile.mkdtemp(prefix="alur-bench-media-")
            self.secret_key = secrets.token_urlsafe(50)
        self.procs: dict[str, subprocess.Popen] = {}

    def env(self, **extra) -> dict:
        env = dict(os.environ)
        env.pop("DEBUG", None)
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=self.postgres.url,
            REDIS_URL=self.redis.url,
            PUBLIC_BASE_URL=self.url,
            SECURE_SSL_REDIRECT="0",
            NUM_PROXIES="0",
            MEDIA_ROOT=self.media,
            WHATSAPP_BACKEND="twilio",
            TWILIO_ACCOUNT_SID=ACCOUNT_SID,
            TWILIO_AUTH_TOKEN=AUTH_TOKEN,
            TWILIO_WHATSAPP_FROM=SENDER,
            TWILIO_API_BASE_URL=self.twilio.url,
            TRACK_RATE_LIMIT=UNLIMITED,
            CATALOGUE_RATE_LIMIT=UNLIMITED,
            SUBMIT_RATE_LIMIT=UNLIMITED,
            TOKEN_RATE_LIMIT=UNLIMITED,
            # The write runs all use one applicant phone: its cap (20/hour) would defer
            # their messages to the sweeper, which the bench does not run.
            WHATSAPP_PHONE_RATE_LIMIT=UNLIMITED,
            LOG_LEVEL="WARNING",
        )
        env.update(extra)
        return env

    def manage(self, *args: str, debug: bool = False) -> str:
        env = self.env(
            **({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"} if debug else {})
        )
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def python(self, *args: str, debug: bool = False) -> str:
        env = self.env(
            **({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"} if debug else {})
        )
        done = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            raise RuntimeError(f"python {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def start_servers(self) -> None:
        """PostgreSQL, Redis and the stand-in, and the static files as deployed. The
        database is made by `fresh_schema()` or, kept, by bench/kept.py."""
        self.postgres.start()
        self.redis.start()
        self.twilio.start()
        self.manage("collectstatic", "--noinput", "-v", "0", "--settings", "bench.settings")

    def fresh_schema(self) -> None:
        """Database "alur", empty and migrated: a copy of the machine's migrated schema,
        which the test suite keeps (tests/servers.py `prepare_template`: one migration
        run per set of migrations, ~40 s of CPU rendering model states, then a 2 s
        restore), so the bench measures Alur, not `migrate`."""
        admin_sql(self, f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')  # a kept one
        prepare_template(self.postgres)
        admin_sql(self, 'DROP DATABASE IF EXISTS "alur" WITH (FORCE)')
        admin_sql(self, f'CREATE DATABASE "alur" TEMPLATE "{TEMPLATE}"')

    def start_web(self, workers: int | None = None) -> None:
        self.stop("web")
        workers = workers or self.web_workers
        self.procs["web"] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=open(Path(self.media) / "gunicorn.log", "ab"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/bench/floor/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def start_worker(self, name: str = "worker", concurrency: int = 1) -> None:
        self.procs[name] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-l",
                "warning",
                "--concurrency",
                str(concurrency),
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=open(Path(self.media) / f"{name}.log", "ab"),  # noqa: SIM115
        )

    def _web_workers(self) -> list[str]:
        web = self.procs.get("web")
        if web is None:
            return []
        return Path(f"/proc/{web.pid}/task/{web.pid}/children").read_text().split()

    def web_cpu_seconds(self) -> float:
        """CPU time used so far by the gunicorn workers: a cost per request that other
        load on the machine does not distort the way it distorts wall-clock figures."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self._web_workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def worker_cpu_seconds(self) -> float:
        """CPU time of the Celery workers: their main processes and their pools' children."""
        total = 0.0
        for name, worker in self.procs.items():
            if name.startswith("worker"):
                pids = [str(worker.pid), *self._children(worker.pid)]
                total += sum(self._cpu_of(pid) for pid in pids)
        return total

    @staticmethod
    def _children(pid: int) -> list[str]:
        try:
            return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except FileNotFoundError:
            return []

    @staticmethod
    def _cpu_of(pid: str) -> float:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def web_worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self._web_workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def close(self) -> None:
        for name in list(self.procs):
            self.stop(name)
        self.twilio.stop()
        self.redis.stop()
        self.postgres.stop()
