"""`make run`'s server: print the URLs and demo logins, start the background work, serve.

With REDIS_URL set, a Celery worker and Celery beat run as child processes (stopped
with the server). Without it, tasks already run eagerly in-process and the entries of
settings.CELERY_BEAT_SCHEDULE are run by a daemon thread at their intervals, so the
periodic sweeps behave the same in development. Then Django's runserver serves.
"""

import datetime
import logging
import signal
import subprocess
import sys
import threading

from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

PAGES = [
    ("/", "public catalogue"),
    ("/cek-status/", "status lookup"),
    ("/staf/", "staff work queue"),
    ("/admin/", "catalogue and organisation management"),
    ("/api/v1/docs/", "API documentation"),
]


class InProcessBeat:
    """Runs CELERY_BEAT_SCHEDULE entries in a daemon thread (development without Redis).

    Each entry ({"task", "schedule", "args"?, "kwargs"?}) runs once its schedule is due,
    counted from when the thread started, like a fresh `celery beat`. A failing task is
    logged and does not stop the others.
    """

    def __init__(self, schedule: dict, *, app=None, max_sleep: float = 30.0):
        if app is None:
            from config.celery import app
        self.app = app
        self.max_sleep = max_sleep
        self.stop_event = threading.Event()
        self.entries = [
            {
                "name": name,
                "task": entry["task"],
                "schedule": maybe_schedule(entry["schedule"], app=app),
                "args": tuple(entry.get("args", ())),
                "kwargs": dict(entry.get("kwargs", {})),
            }
            for name, entry in schedule.items()
        ]
        self.thread = threading.Thread(target=self.run, name="alur-beat", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stop_event.set()

    def run(self):
        self.app.loader.import_default_modules()
        started = timezone.now()
        last_run = {e["name"]: started for e in self.entries}
        while not self.stop_event.is_set():
            sleep = self.max_sleep
            for entry in self.entries:
                due, next_seconds = entry["schedule"].is_due(last_run[entry["name"]])
                if due:
                    last_run[entry["name"]] = timezone.now()
                    self.run_entry(entry)
                sleep = min(sleep, max(next_seconds, 0.05))
            self.stop_event.wait(sleep)

    def run_entry(self, entry):
        try:
            task = self.app.tasks[entry["task"]]
            task.apply(args=entry["args"], kwargs=entry["kwargs"], throw=True)
        except Exception:
            logger.exception("periodic task %s (%s) failed", entry["name"], entry["task"])
        finally:
            close_old_connections()


def _interval_label(value) -> str:
    if isinstance(value, int | float):
        value = datetime.timedelta(seconds=value)
    return str(value)


class Command(BaseCommand):
    help = (
        "Serve Alur for development: print the URLs and demo logins, run the background "
        "work (Celery worker and beat with REDIS_URL, else in-process), then runserver."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        host, _, port = addrport.rpartition(":")
        if not port.isdigit():
            raise CommandError("addrport is HOST:PORT, e.g. 127.0.0.1:8000")
        host = host or "127.0.0.1"
        self.print_banner(f"http://{host}:{port}")
        children = []
        beat = None
        if settings.REDIS_URL:
            # `kill PID` must stop the children too: turn SIGTERM into a normal exit.
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            for role in ("worker", "beat"):
                cmd = [sys.executable, "-m", "celery", "-A", "config", role, "-l", "info"]
                self.stdout.write(f"Starting celery {role} (REDIS_URL is set).")
                children.append(subprocess.Popen(cmd))
        else:
            schedule = settings.CELERY_BEAT_SCHEDULE
            self.stdout.write(
                "No REDIS_URL: background tasks run in-process; "
                f"{len(schedule)} periodic task(s) run by a thread."
            )
            for name, entry in schedule.items():
                label = _interval_label(entry["schedule"])
                self.stdout.write(f"  - {name}: {entry['task']} every {label}")
            beat = InProcessBeat(schedule).start()
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            if beat:
                beat.stop()
            for child in children:
                child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

    def print_banner(self, base: str):
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS(f"Alur is starting on {base}/"))
        for path, what in PAGES:
            write(f"  {base}{path:<16} {what}")
        if not settings.DEBUG:
            write("")
            return
        from services_catalog.demo import demo_accounts

        accounts = demo_accounts()
        write("")
        write(f"Demo logins (password for all: {settings.DEMO_PASSWORD}):")
        width = max(len(a["username"]) for a in accounts)
        for account in accounts:
            roles = ", ".join(account["roles"])
            unit = account["unit"] or "all units (superuser)"
            write(f"  {account['username']:<{width}}  {roles:<28} {unit}")
        write("Staff log in at /staf/masuk/; the admin at /admin/.")
        write("")
