"""Alur served by gunicorn (the Procfile's `web`, production settings) on a copy of the
test database, for the schema fuzz run (test_api_fuzz.py).

The copy is made with PostgreSQL's `CREATE DATABASE ... TEMPLATE` from the migrated test
database (no second migration run), loaded with the demo organisation and accounts, and
dropped at the end, so nothing the fuzzer writes reaches the other tests.
"""

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import requests

from tests.factories import PDF_BYTES
from tests.production.journey import DATA, SERVICE
from tests.production.stack import procfile
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def _admin_connection(database_url: str) -> psycopg.Connection:
    """Autocommit connection to the server's maintenance database (CREATE/DROP DATABASE)."""
    return psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


class FuzzServer:
    def __init__(self, *, template: str, database_url: str, redis_url: str, workdir: Path):
        self.template = template
        self.server_url = database_url
        self.name = f"alur_fuzz_{secrets.token_hex(4)}"
        self.database_url = database_url.rsplit("/", 1)[0] + "/" + self.name
        self.workdir = workdir
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.accounts: dict[str, dict] = {}
        self.env = {
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
            "HOME": str(workdir),
            "LANG": "C.UTF-8",
            # Production settings: DEBUG unset, a real secret key.
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "PUBLIC_BASE_URL": self.base_url,
            "DATABASE_URL": self.database_url,
            # A Redis database of its own: the suite empties database 0 between tests.
            "CACHE_URL": redis_url.rsplit("/", 1)[0] + "/7",
            "MEDIA_ROOT": str(workdir / "media"),
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "2",
            # The limits themselves are tested in test_rate_limits.py and tests/production;
            # here every generated request must reach the view it is aimed at.
            **{
                f"{scope}_RATE_LIMIT": "100000/min"
                for scope in (
                    "TRACK",
                    "CATALOGUE",
                    "SUBMIT",
                    "TOKEN",
                    "VERIFY",
                    "COMPLAINT",
                    "ATTENDANCE",
                    "OPEN311",
                )
            },
        }

    # --- start and stop -----------------------------------------------------------------

    def start(self) -> "FuzzServer":
        with _admin_connection(self.server_url) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
        self._seed_demo()
        self.log = open(self.workdir / "gunicorn.log", "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            ["bash", "-c", procfile(ROOT / "Procfile")["web"]],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while True:
            assert self.proc.poll() is None, self.output()
            try:
                if requests.get(self.url("/healthz/"), headers=self.proxy, timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, f"gunicorn did not answer:\n{self.output()}"
            time.sleep(0.3)
        return self

    def _seed_demo(self) -> None:
        # seed_demo is refused in production, so it runs once with DEBUG=1.
        result = subprocess.run(
            [sys.executable, "manage.py", "seed_demo", "--json"],
            cwd=ROOT,
            env={**self.env, "DEBUG": "1"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        self.accounts = {a["username"]: a for a in json.loads(result.stdout)}

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
            self.log.close()
        with _admin_connection(self.server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def output(self, tail: int = 6000) -> str:
        path = self.workdir / "gunicorn.log"
        return path.read_text(errors="replace")[-tail:] if path.exists() else ""

    # --- talking to it ------------------------------------------------------------------

    # What the shipped nginx site tells the app (deploy/nginx.conf): the request came over
    # HTTPS. Without it the production settings redirect every call to https://.
    proxy = {"X-Forwarded-Proto": "https"}

    def url(self, path: str) -> str:
        return self.base_url + path

    def token(self, username: str) -> str:
        response = requests.post(
            self.url("/api/v1/auth/token/"),
            data={"username": username, "password": self.accounts[username]["password"]},
            headers=self.proxy,
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()["token"]

    def submit_with_document(self) -> dict:
        """A citizen's request with one uploaded document (the optional KTP scan)."""
        payload = {
            "service": SERVICE,
            "applicant": {"name": "Siti Pemohon", "phone": "081234567890"},
            "data": DATA,
        }
        response = requests.post(
            self.url("/api/v1/requests/"),
            data={"payload": json.dumps(payload)},
            files={"ktp": ("ktp.pdf", PDF_BYTES, "application/pdf")},
            headers=self.proxy,
            timeout=30,
        )
        assert response.status_code == 201, response.text
        return response.json()

    def get(self, path: str, **headers) -> requests.Response:
        return requests.get(self.url(path), headers={**self.proxy, **headers}, timeout=30)
