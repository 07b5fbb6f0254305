"""Alur as it is deployed, for the production-parity suite.

From a clean copy of the tree (the files git tracks or would track: what a fresh clone
has), the Procfile's own commands run exactly as written, `build` and `release` to the
end, `web`, `worker` and `beat` as long-lived processes, with production settings
(DEBUG unset, a real SECRET_KEY) against throw-away PostgreSQL and Redis and the Twilio
stand-in, behind a real nginx running the site configuration Alur ships
(deploy/nginx.conf) with a throw-away TLS certificate. Everything listens on 127.0.0.1.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from tests.servers import PostgresServer, RedisServer, free_port
from tests.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, SENDER, TwilioStandIn

ROOT = Path(__file__).resolve().parents[2]
HOST = "localhost"
LONG_RUNNING = ("web", "worker", "beat")


def procfile(path: Path) -> dict[str, str]:
    """`name: command` lines, as a Procfile runner reads them."""
    entries = {}
    for line in path.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, sep, command = line.partition(":")
        assert sep and command.strip(), f"not a Procfile line: {line!r}"
        entries[name.strip()] = command.strip()
    return entries


def clean_copy(dest: Path) -> Path:
    """The tree as a fresh clone has it: tracked and not-ignored files, nothing built."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the work tree is not copied
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def make_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={HOST}",
            "-addext",
            f"subjectAltName=DNS:{HOST},IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    return cert, key


def nginx_site(shipped: str, *, http_port, https_port, web_port, cert, key) -> str:
    """The shipped site with only its addresses, name and certificate paths replaced.

    Each replacement must match exactly once, so a changed deploy/nginx.conf fails here
    instead of silently testing something else."""
    replacements = [
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen \[::\]:80;", ""),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        (r"listen \[::\]:443 ssl http2;", ""),
        (r"server 127\.0\.0\.1:8000 ", f"server 127.0.0.1:{web_port} "),
        (r"ssl_certificate /etc/ssl/alur/fullchain\.pem;", f"ssl_certificate {cert};"),
        (r"ssl_certificate_key /etc/ssl/alur/privkey\.pem;", f"ssl_certificate_key {key};"),
    ]
    site = shipped
    for pattern, replacement in replacements:
        site, count = re.subn(pattern, replacement, site)
        assert count == 1, f"deploy/nginx.conf: {pattern!r} matched {count} times"
    site, count = re.subn(r"server_name layanan\.example\.go\.id;", f"server_name {HOST};", site)
    assert count == 2
    return site


def nginx_main(*, directory: Path, site: Path) -> str:
    """What Debian's /etc/nginx/nginx.conf provides around a site, in a private prefix."""
    temp = directory / "temp"
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(temp / sub, 0o777)  # noqa: S103 - nginx workers drop root to nobody
    return f"""
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {directory}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {site};
}}
"""


class Process:
    """One Procfile process: `bash -c <command>` in its own session, log to a file."""

    def __init__(self, name: str, command: str, *, cwd: Path, env: dict, logs: Path):
        self.name, self.command = name, command
        self.log_path = logs / f"{name}.log"
        self.log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            ["bash", "-c", command],
            cwd=cwd,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def signal(self, sig) -> None:
        if self.alive():
            os.killpg(self.proc.pid, sig)

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()

    def output(self, tail: int = 8000) -> str:
        return self.log_path.read_text(errors="replace")[-tail:]


class ProductionStack:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.logs = workdir / "logs"
        self.logs.mkdir(parents=True)
        self.processes: dict[str, Process] = {}
        self.postgres = PostgresServer()
        self.redis = RedisServer()
        self.standin = TwilioStandIn()
        self.nginx: subprocess.Popen | None = None
        self.ready_before_release: dict | None = None
        self.accounts: dict[str, dict] = {}
        self.restarts: list[str] = []  # long-running processes the supervisor restarted
        self._supervising = threading.Event()

    # --- the run --------------------------------------------------------------------

    def start(self) -> "ProductionStack":
        self.app = clean_copy(self.workdir / "alur")
        self.commands = procfile(self.app / "Procfile")
        missing = {"build", "release", *LONG_RUNNING} - set(self.commands)
        assert not missing, f"Procfile lacks {sorted(missing)}"
        self.postgres.start()
        self.redis.start()
        self.cert, key = make_certificate(self.workdir)
        self.standin.verify = str(self.cert)
        self.standin.start()
        self.web_port, self.https_port, self.http_port = free_port(), free_port(), free_port()
        self.base_url = f"https://{HOST}:{self.https_port}"
        self.env = self._environment()

        self.run_once("build")
        self._start_nginx(key)
        self.start_process("web")
        # Before `release` the site is up but not ready: the probe names the migrations.
        self.ready_before_release = self.wait_for_readyz(expect=503)
        self.run_once("release")
        self.wait_for_readyz(expect=200)
        self._seed_demo()
        self.start_process("worker", ready=b" ready.")
        self.start_process("beat", ready=b"beat: Starting...")
        threading.Thread(target=self._supervise, daemon=True).start()
        return self

    def _supervise(self) -> None:
        """What a process manager does (systemd Restart=always, a Procfile platform):
        a long-running process that exits is started again, and the restart recorded."""
        self._supervising.set()
        while self._supervising.is_set():
            for name in LONG_RUNNING:
                process = self.processes.get(name)
                if process is not None and not process.alive() and self._supervising.is_set():
                    self.restarts.append(name)
                    process.log.close()
                    self.start_process(name, ready=None)
            time.sleep(0.5)

    def _environment(self) -> dict:
        venv_bin = Path(sys.executable).parent
        return {
            "PATH": f"{venv_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "VIRTUAL_ENV": str(venv_bin.parent),
            "HOME": str(self.workdir),
            "LANG": "C.UTF-8",
            # Production: DEBUG unset, a real secret key.
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "PUBLIC_BASE_URL": self.base_url,
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "MEDIA_ROOT": str(self.workdir / "media"),
            "WHATSAPP_BACKEND": "twilio",
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": SENDER,
            "TWILIO_API_BASE_URL": self.standin.url,
            "PORT": str(self.web_port),
            "WEB_CONCURRENCY": "2",
            "CELERY_CONCURRENCY": "2",
            # Every client of the suite is 127.0.0.1: room for the outage tests' bursts.
            "SUBMIT_RATE_LIMIT": "6000/min",
            # The sweeper's pace, shortened so that outages heal within the test.
            "NOTIFICATIONS_SWEEP_SECONDS": "2",
            "NOTIFICATIONS_LOST_AFTER_SECONDS": "3",
            "NOTIFICATIONS_SENDING_TIMEOUT_SECONDS": "20",
        }

    def run_once(self, name: str, timeout: float = 600) -> None:
        result = subprocess.run(
            ["bash", "-c", self.commands[name]],
            cwd=self.app,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        (self.logs / f"{name}.log").write_text(result.stdout + result.stderr)
        assert result.returncode == 0, (
            f"Procfile `{name}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )

    def start_process(self, name: str, ready: bytes | None = None, timeout: float = 120):
        process = Process(name, self.commands[name], cwd=self.app, env=self.env, logs=self.logs)
        self.processes[name] = process
        deadline = time.monotonic() + timeout
        while ready and ready not in process.log_path.read_bytes():
            assert process.alive(), f"{name} exited:\n{process.output()}"
            assert time.monotonic() < deadline, f"{name} not ready:\n{process.output()}"
            time.sleep(0.2)
        return process

    def _start_nginx(self, key: Path) -> None:
        nginx_dir = self.workdir / "nginx"
        nginx_dir.mkdir()
        site = nginx_dir / "alur.conf"
        site.write_text(
            nginx_site(
                (self.app / "deploy" / "nginx.conf").read_text(),
                http_port=self.http_port,
                https_port=self.https_port,
                web_port=self.web_port,
                cert=self.cert,
                key=key,
            )
        )
        main = nginx_dir / "nginx.conf"
        main.write_text(nginx_main(directory=nginx_dir, site=site))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        check = subprocess.run([nginx, "-t", "-c", str(main)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.nginx_log = open(self.logs / "nginx.log", "ab")  # noqa: SIM115 - closed in stop()
        self.nginx = subprocess.Popen(
            [nginx, "-c", str(main), "-g", "daemon off;"],
            stdout=self.nginx_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.access_log = nginx_dir / "access.log"
        deadline = time.monotonic() + 30
        while not self.access_log.exists() or not self._port_open(self.https_port):
            assert self.nginx.poll() is None, (nginx_dir / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)

    @staticmethod
    def _port_open(port: int) -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    def wait_for_readyz(self, *, expect: int, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                response = self.get("/readyz/", timeout=10)
                last = (response.status_code, response.text[:500])
                if response.status_code == expect:
                    return response.json()
            except requests.RequestException as exc:
                last = repr(exc)
            web = self.processes.get("web")
            assert web is None or web.alive(), f"web exited:\n{web.output()}"
            time.sleep(0.3)
        raise AssertionError(f"/readyz/ never answered {expect}; last: {last}\n{self.output()}")

    def _seed_demo(self) -> None:
        # Test data only: seed_demo is refused in production, so it runs once with DEBUG=1.
        result = subprocess.run(
            [sys.executable, "manage.py", "seed_demo", "--json"],
            cwd=self.app,
            env={**self.env, "DEBUG": "1"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        self.accounts = {a["username"]: a for a in json.loads(result.stdout)}

    # --- talking to it ----------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # a CA bundle in the environment would replace ours
        session.verify = str(self.cert)
        return session

    def get(self, path: str, timeout: float = 30, **kwargs) -> requests.Response:
        return requests.get(self.url(path), verify=str(self.cert), timeout=timeout, **kwargs)

    def access_log_mark(self) -> int:
        return self.access_log.stat().st_size

    def server_errors_since(self, mark: int, *, allowed: tuple[str, ...] = ()) -> list[str]:
        """nginx access-log lines with a 5xx status written after `mark`, except requests
        whose path starts with one of `allowed` (e.g. the readiness probe during an outage)."""
        with open(self.access_log, "rb") as log:
            log.seek(mark)
            lines = log.read().decode(errors="replace").splitlines()
        errors = [line for line in lines if re.search(r'" 5\d\d ', line)]
        return [e for e in errors if not any(f" {path}" in e for path in allowed)]

    def output(self) -> str:
        parts = [f"--- {name}\n{p.output(4000)}" for name, p in self.processes.items()]
        return "\n".join(parts)

    # --- the end ----------------------------------------------------------------------

    def stop(self) -> None:
        self._supervising.clear()
        time.sleep(0.6)
        for name in ("beat", "worker", "web"):
            if name in self.processes:
                self.processes[name].stop()
        if self.nginx and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.nginx.pid, signal.SIGKILL)
                self.nginx.wait(5)
            self.nginx_log.close()
        self.standin.stop()
        self.redis.stop()
        self.postgres.stop()
