"""The `serve` command run by `make run`: banner, in-process periodic tasks, runserver."""

import io
import threading

import pytest
from celery import Celery
from django.core.management import call_command

from core.management.commands import serve


@pytest.fixture
def probe_app():
    app = Celery("probe", set_as_current=False)
    app.conf.task_always_eager = True
    calls = []
    ran_twice = threading.Event()

    @app.task(name="probe.record")
    def record(value):
        calls.append(value)
        if len(calls) >= 2:
            ran_twice.set()

    @app.task(name="probe.fail")
    def fail():
        raise RuntimeError("boom")

    return app, calls, ran_twice


def test_in_process_beat_runs_each_entry_at_its_interval(probe_app):
    app, calls, ran_twice = probe_app
    beat = serve.InProcessBeat(
        {
            "broken": {"task": "probe.fail", "schedule": 0.05},
            "record": {"task": "probe.record", "schedule": 0.05, "args": ("x",)},
        },
        app=app,
        max_sleep=0.05,
    ).start()
    try:
        # A failing entry does not stop the others.
        assert ran_twice.wait(timeout=10)
    finally:
        beat.stop()
        beat.thread.join(timeout=5)
    assert not beat.thread.is_alive()
    assert set(calls) == {"x"}


def test_serve_prints_urls_and_demo_logins_then_runs_runserver(monkeypatch, settings):
    settings.DEBUG = True
    settings.REDIS_URL = ""
    settings.CELERY_BEAT_SCHEDULE = {"sweep": {"task": "probe.record", "schedule": 300}}
    served = []
    started = []
    monkeypatch.setattr(
        serve, "call_command", lambda name, addrport, **kw: served.append((name, addrport, kw))
    )
    monkeypatch.setattr(serve.InProcessBeat, "start", lambda self: started.append(self) or self)
    out = io.StringIO()
    call_command("serve", "127.0.0.1:8123", stdout=out)
    text = out.getvalue()
    for path in ("/", "/staf/", "/admin/", "/api/v1/docs/", "/cek-status/"):
        assert f"http://127.0.0.1:8123{path} " in text
    assert f"password for all: {settings.DEMO_PASSWORD}" in text
    for username in ("admin", "supervisor", "clerk", "skp_owner", "skp_acting"):
        assert f"  {username} " in text
    assert "sweep: probe.record every 0:05:00" in text
    assert served == [("runserver", "127.0.0.1:8123", {"use_reloader": False})]
    assert len(started) == 1 and started[0].entries[0]["task"] == "probe.record"


def test_serve_hides_demo_logins_outside_debug(monkeypatch, settings):
    settings.DEBUG = False
    settings.REDIS_URL = ""
    settings.CELERY_BEAT_SCHEDULE = {}
    monkeypatch.setattr(serve, "call_command", lambda *a, **kw: None)
    out = io.StringIO()
    call_command("serve", stdout=out)
    assert "http://127.0.0.1:8000/admin/" in out.getvalue()
    assert settings.DEMO_PASSWORD not in out.getvalue()
