"""Outages under the running production stack, with the real servers stopped.

Redis down: pages, tracking, submission, staff pages and logins keep answering, and the
messages of the requests made meanwhile go out once Redis is back, once each.
PostgreSQL restarted: requests in flight get a clean 503, nothing is half-written, and
web and worker recover by themselves. (A Celery worker killed mid-delivery:
tests/integration/test_whatsapp_faults.py.)"""

import threading
import time

import psycopg
import requests

from tests.production.journey import (
    SERVICE,
    a_phone,
    login,
    open_task,
    submit,
    token_session,
    workers_of,
)


def wait_for_each_phone(standin, expected: dict[str, int], timeout: float = 120) -> None:
    """Until every phone got its count of messages; then a pause, then exactly that."""
    deadline = time.monotonic() + timeout
    while any(len(standin.messages_to(p)) < n for p, n in expected.items()):
        missing = {p: len(standin.messages_to(p)) for p in expected}
        assert time.monotonic() < deadline, f"messages so far: {missing} of {expected}"
        time.sleep(0.5)
    time.sleep(5)  # more than two sweeps: a duplicate would have arrived by now
    got = {p: len(standin.messages_to(p)) for p in expected}
    assert got == expected


def test_redis_down_everything_answers_and_messages_go_out_once_it_is_back(production):
    assert production.restarts == []  # the earlier tests ran without a crash
    tracked = submit(production)
    assert tracked.status_code == 201
    number = tracked.json()["registration_number"]
    sessions = {name: token_session(production, name) for name in workers_of(production, SERVICE)}
    mark = production.access_log_mark()
    production.redis.stop()
    try:
        session = production.session()
        for path in (
            "/",
            f"/layanan/{SERVICE}/",
            "/cek-status/",
            f"/cek-status/{number}/",
            f"/api/v1/track/{number}/",
            "/api/v1/services/",
        ):
            assert session.get(production.url(path), timeout=30).status_code == 200, path
        phones = [a_phone() for _ in range(2)]
        numbers = []
        for typed, _e164 in phones:
            response = submit(production, phone=typed)
            assert response.status_code == 201, response.text
            numbers.append(response.json()["registration_number"])
        # Staff work on: the first claim is a transition, so one more message waits.
        name, task = open_task(production, sessions, numbers[0])
        claim = sessions[name].post(production.url(f"/api/v1/tasks/{task['id']}/claim/"))
        assert claim.status_code == 200, claim.text
        token_session(production, name)  # API login
        staff = login(production, "/staf/masuk/", name, production.accounts[name]["password"])
        assert staff.get(production.url("/staf/"), timeout=30).status_code == 200
        admin = production.accounts["admin"]
        login(production, "/admin/login/", "admin", admin["password"], next_url="/admin/")
        ready = production.get("/readyz/")
        assert ready.status_code == 503 and ready.json()["down"] == ["redis"]
        assert production.get("/healthz/").status_code == 200
        assert production.server_errors_since(mark, allowed=("/readyz/",)) == []
    finally:
        production.redis.start()
    production.wait_for_readyz(expect=200)
    # submitted (both) and started (the claimed one), each exactly once.
    wait_for_each_phone(production.standin, {phones[0][1]: 2, phones[1][1]: 1})
    # The web never restarts. A Celery worker holding an unacknowledged task when the
    # broker connection drops may exit (kombu's Redis channel close raises AttributeError,
    # an upstream bug); its process manager starts it again, as here, and nothing is lost.
    assert "web" not in production.restarts and "beat" not in production.restarts


def test_postgresql_restart_in_flight_get_503_nothing_half_written_all_recover(production):
    restarts_before = list(production.restarts)
    results: dict[str, tuple] = {}  # Idempotency-Key -> (phone typed, E.164, status)
    stop = threading.Event()

    def applicant(n: int) -> None:
        session = production.session()
        i = 0
        while not stop.is_set():
            key, (typed, e164) = f"pg-restart-{n}-{i}", a_phone()
            i += 1
            try:
                response = submit(production, session, key=key, phone=typed)
                status = response.status_code
                if status == 503:
                    assert response.json()["detail"] and response.headers["Retry-After"]
            except requests.RequestException as exc:
                status = repr(exc)
            results[key] = (typed, e164, status)
            time.sleep(0.05)

    threads = [threading.Thread(target=applicant, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        production.postgres.halt("fast")  # ends every session, in-flight ones included
        time.sleep(1)
        ready = production.get("/readyz/")
        assert ready.status_code == 503 and "database" in ready.json()["down"]
        time.sleep(1)
        production.postgres.start()
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
    statuses = [status for _, _, status in results.values()]
    assert set(statuses) <= {201, 503}, statuses
    assert statuses.count(503) >= 1 and statuses.count(201) >= 1, statuses

    # The clients try again with the same key: exactly one request per key, in the end.
    for key, (typed, _e164, status) in results.items():
        if status != 201:
            response = submit(production, key=key, phone=typed)
            assert response.status_code == 201, response.text
    phones = [e164 for _, e164, _ in results.values()]
    with psycopg.connect(production.postgres.url.replace("postgres://", "postgresql://")) as db:
        created = db.execute(
            "SELECT count(*) FROM workflow_servicerequest WHERE applicant_phone = ANY(%s)",
            (phones,),
        ).fetchone()[0]
        assert created == len(results)  # none lost, none doubled
        for table, column in (
            ("workflow_requestevent", "request_id"),
            ("workflow_task", "request_id"),
            ("notifications_message", "request_id"),
        ):
            half_written = db.execute(
                f"SELECT count(*) FROM workflow_servicerequest r WHERE NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {table} x WHERE x.{column} = r.id)"
            ).fetchone()[0]
            assert half_written == 0, table
    # The worker recovered too: each request's "submitted" message, once.
    wait_for_each_phone(production.standin, dict.fromkeys(phones, 1))
    assert production.restarts == restarts_before  # nothing had to be restarted
