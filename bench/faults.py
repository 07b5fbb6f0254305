"""`make faults`: Alur under steady load while its parts fail, as it is deployed.

The stack is the production suite's (tests/production/stack.py: the Procfile's processes
from a clean copy, behind nginx, on real PostgreSQL and Redis, the Twilio stand-in, a
supervisor that restarts what exits). Applicants submit and staff approve throughout;
meanwhile, one after another: a Celery worker is killed, Redis and PostgreSQL are
restarted, the stand-in answers 5xx and then 429 for FAULT_SECONDS each. Clients behave
as clients do: a refused or unanswered submission is sent again with the same
Idempotency-Key. Afterwards every accepted submission must exist exactly once with its
history and task, and every outbox message must have reached the stand-in exactly once.

    make faults                   # 30 s per stand-in fault
    FAULT_SECONDS=5 make faults

`run()` is also called by tests/production/test_faults.py with short faults (make test).
"""

import os
import secrets
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

from tests.production.journey import DATA, SERVICE, workers_of

FAULTS = ("worker killed", "redis restarted", "postgresql restarted", "twilio 5xx", "twilio 429")


@dataclass
class Ledger:
    """What the clients saw: every submission by its Idempotency-Key."""

    submissions: dict[str, list] = field(default_factory=dict)  # key -> [typed, e164, status]
    approvals: int = 0
    refusals: dict[str, int] = field(default_factory=dict)  # status -> count, while faulty
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, key: str, typed: str, e164: str, status) -> None:
        with self.lock:
            self.submissions[key] = [typed, e164, status]
            if status != 201:
                self.refusals[str(status)] = self.refusals.get(str(status), 0) + 1

    def refused(self, status: str) -> int:
        with self.lock:
            return self.refusals.get(status, 0)


def _phone() -> tuple[str, str]:
    digits = f"{secrets.randbelow(10**8):08d}"
    return f"0813{digits}", f"+62813{digits}"


def _submit(stack, session, key: str, typed: str):
    try:
        response = session.post(
            stack.url("/api/v1/requests/"),
            json={
                "service": SERVICE,
                "applicant": {"name": "Pemohon Uji Gangguan", "phone": typed},
                "data": DATA,
            },
            headers={"Idempotency-Key": key},
            timeout=30,
        )
        return response.status_code
    except requests.RequestException as exc:
        return type(exc).__name__


class Load:
    """Applicant threads submitting and one staff thread approving, until stopped."""

    def __init__(self, stack, ledger: Ledger, *, applicants: int = 3, pause: float = 0.1):
        self.stack, self.ledger, self.pause = stack, ledger, pause
        self.stop_event = threading.Event()
        self.threads = [
            threading.Thread(target=self._applicant, args=(n,), daemon=True)
            for n in range(applicants)
        ]
        self.threads.append(threading.Thread(target=self._staff, daemon=True))

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(60)

    def _applicant(self, n: int) -> None:
        session = self.stack.session()
        i = 0
        while not self.stop_event.is_set():
            key, (typed, e164) = f"faults-{n}-{i}-{secrets.token_hex(4)}", _phone()
            i += 1
            self.ledger.note(key, typed, e164, _submit(self.stack, session, key, typed))
            time.sleep(self.pause)

    def _staff(self) -> None:
        """Approves the open first-step tasks of the fault run's requests, as staff would."""
        name = workers_of(self.stack, SERVICE)[0]
        password = self.stack.accounts[name]["password"]
        session, token = self.stack.session(), None
        while not self.stop_event.is_set():
            try:
                if token is None:
                    answer = session.post(
                        self.stack.url("/api/v1/auth/token/"),
                        data={"username": name, "password": password},
                        timeout=30,
                    )
                    if answer.status_code != 200:
                        raise requests.RequestException(answer.status_code)
                    token = answer.json()["token"]
                    session.headers["Authorization"] = f"Token {token}"
                queue = session.get(
                    self.stack.url("/api/v1/tasks/"),
                    params={"scope": "queue", "service": SERVICE},
                    timeout=30,
                )
                tasks = queue.json()["results"] if queue.status_code == 200 else []
                for task in tasks[:5]:
                    if task["step"]["order"] != 1:
                        continue
                    url = self.stack.url(f"/api/v1/tasks/{task['id']}")
                    if session.post(f"{url}/claim/", timeout=30).status_code != 200:
                        continue
                    done = session.post(f"{url}/complete/", json={"decision": "approve"})
                    if done.status_code == 200:
                        with self.ledger.lock:
                            self.ledger.approvals += 1
            except (requests.RequestException, ValueError, KeyError):
                pass  # an outage: try again shortly
            time.sleep(0.3)


def inject(stack, ledger: Ledger, fault: str, *, seconds: float, down: float) -> None:
    """A restart lasts `down` seconds and a stand-in fault `seconds`, and each lasts on until
    a client has met it: on a busy machine a short outage can otherwise fall between two
    requests, and a fault nobody met proves nothing."""
    if fault == "worker killed":
        stack.processes["worker"].signal(signal.SIGKILL)  # the supervisor starts another
    elif fault == "redis restarted":
        stack.redis.stop()
        time.sleep(down)
        stack.redis.start()
    elif fault == "postgresql restarted":
        # "fast" ends every session, in-flight ones included
        _until_met(lambda: ledger.refused("503"), down, begin=lambda: stack.postgres.halt("fast"))
        stack.postgres.start()
    elif fault in ("twilio 5xx", "twilio 429"):
        status, standin = (503 if fault == "twilio 5xx" else 429), stack.standin
        _until_met(
            lambda: len(standin.requests_seen) - len(standin.messages),  # refused sends
            seconds,
            begin=lambda: standin.fail_for(seconds, status),
            extend=lambda: standin.fail_for(0.5, status),
        )
    else:
        raise ValueError(fault)


def _until_met(met, minimum: float, *, begin, extend=lambda: None, cap: float = 120) -> None:
    """`begin()` the fault, wait `minimum` seconds, then on (calling `extend` each half
    second) until `met()`, a count of the fault's refusals, has grown, or `cap` seconds."""
    before, started = met(), time.monotonic()
    begin()
    time.sleep(minimum)
    while met() == before and time.monotonic() - started < cap:
        extend()
        time.sleep(0.5)


def time_to_recover(stack, ledger: Ledger, fault: str = "", timeout: float = 300) -> float:
    """Seconds from the fault's end until a new submission is accepted and its WhatsApp
    message has reached the stand-in: the whole path works again. If it never does, the
    error names the fault and shows where the probe's message stopped."""
    started = time.monotonic()
    session = stack.session()
    key, (typed, e164) = f"faults-probe-{secrets.token_hex(6)}", _phone()
    while True:
        status = _submit(stack, session, key, typed)
        ledger.note(key, typed, e164, status)
        if status == 201:
            break
        if time.monotonic() - started > timeout:
            raise AssertionError(f"submissions still refused {timeout} s after the fault")
        time.sleep(0.5)
    left = max(1.0, timeout - (time.monotonic() - started))
    try:
        stack.standin.wait_for_messages(1, timeout=left, to=e164)
    except TimeoutError as exc:
        raise AssertionError(f"after {fault!r}: {exc}\n{_stalled(stack, e164)}") from None
    return time.monotonic() - started


def _stalled(stack, e164: str) -> str:
    """The probe's outbox row, the outbox by status, and the worker's and beat's logs."""
    try:
        with _db(stack) as db:
            probe = db.execute(
                "SELECT m.id, m.status, m.attempts, m.created_at, m.dispatched_at,"
                " m.next_attempt_at, m.claimed_at, m.error_code, now() FROM notifications_message m"
                " JOIN workflow_servicerequest r ON r.id = m.request_id"
                " WHERE r.applicant_phone = %s",
                (e164,),
            ).fetchall()
            outbox = db.execute(
                "SELECT status, count(*) FROM notifications_message GROUP BY status"
            ).fetchall()
    except psycopg.Error as exc:
        probe = outbox = repr(exc)
    logs = "\n".join(
        f"--- {name}\n{stack.processes[name].output(5000)}"
        for name in ("worker", "beat")
        if name in stack.processes
    )
    columns = "id, status, attempts, created, dispatched, next attempt, claimed, error, now"
    return f"probe message ({columns}): {probe}\noutbox: {outbox}\n{logs}"


def _db(stack):
    return psycopg.connect(stack.postgres.url.replace("postgres://", "postgresql://"))


def reconcile(stack, ledger: Ledger, *, timeout: float = 600) -> dict:
    """Resend what was never accepted (same key), wait until the outbox is settled, then
    count: lost and doubled requests, half-written ones, lost and doubled messages."""
    session = stack.session()
    for key, (typed, _e164, status) in list(ledger.submissions.items()):
        for _ in range(20):
            if status == 201:
                break
            status = _submit(stack, session, key, typed)
            time.sleep(0 if status == 201 else 1)
        ledger.submissions[key][2] = status
    phones = [e164 for _typed, e164, _status in ledger.submissions.values()]
    accepted = [e164 for _typed, e164, status in ledger.submissions.values() if status == 201]
    mine = "r.applicant_phone = ANY(%s)"
    deadline = time.monotonic() + timeout
    with _db(stack) as db:
        while True:
            pending = db.execute(
                "SELECT count(*) FROM notifications_message m JOIN workflow_servicerequest r"  # noqa: S608
                f" ON r.id = m.request_id WHERE {mine} AND m.status IN ('queued', 'sending')",
                (phones,),
            ).fetchone()[0]
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(1)
        stack.standin.wait_callbacks_done(timeout=30)
        time.sleep(6)  # three sweeps: a duplicate would have been sent by now
        rows = dict(
            db.execute(
                f"SELECT applicant_phone, count(*) FROM workflow_servicerequest r WHERE {mine}"  # noqa: S608
                " GROUP BY applicant_phone",
                (phones,),
            ).fetchall()
        )
        half_written = {}
        for table in ("workflow_requestevent", "workflow_task", "notifications_message"):
            half_written[table] = db.execute(
                f"SELECT count(*) FROM workflow_servicerequest r WHERE {mine} AND NOT EXISTS"  # noqa: S608
                f" (SELECT 1 FROM {table} x WHERE x.request_id = r.id)",
                (phones,),
            ).fetchone()[0]
        expected = dict(
            db.execute(
                "SELECT r.applicant_phone, count(*) FROM notifications_message m"  # noqa: S608
                f" JOIN workflow_servicerequest r ON r.id = m.request_id WHERE {mine}"
                " GROUP BY r.applicant_phone",
                (phones,),
            ).fetchall()
        )
        undelivered = db.execute(
            "SELECT count(*) FROM notifications_message m JOIN workflow_servicerequest r"  # noqa: S608
            f" ON r.id = m.request_id WHERE {mine}"
            " AND m.status NOT IN ('sent', 'delivered', 'read')",
            (phones,),
        ).fetchone()[0]
    got: dict[str, int] = {}
    for message in list(stack.standin.messages):
        to = message["To"].removeprefix("whatsapp:")
        got[to] = got.get(to, 0) + 1
    return {
        "submitted": len(ledger.submissions),
        "accepted": len(accepted),
        "lost": sum(1 for phone in accepted if rows.get(phone, 0) == 0),
        "duplicated requests": sum(n - 1 for n in rows.values() if n > 1),
        "half-written": sum(half_written.values()),
        "approvals": ledger.approvals,
        "messages": sum(expected.values()),
        "messages lost": undelivered + sum(max(0, n - got.get(p, 0)) for p, n in expected.items()),
        "duplicated messages": sum(max(0, got.get(p, 0) - n) for p, n in expected.items()),
        "refused while faulty": dict(ledger.refusals),
    }


def run(stack, *, seconds: float = 30, down: float = 5, steady: float = 5, log=print) -> dict:
    """Steady load, then each fault in turn (each followed by its recovery time), then the
    reconciliation. Returns {"recovery": {fault: seconds}, **reconcile()}."""
    ledger = Ledger()
    load = Load(stack, ledger)
    load.start()
    recovery = {}
    try:
        time.sleep(steady)
        for fault in FAULTS:
            log(f"fault: {fault}", flush=True)
            inject(stack, ledger, fault, seconds=seconds, down=down)
            recovery[fault] = round(time_to_recover(stack, ledger, fault), 1)
            log(f"  recovered in {recovery[fault]} s", flush=True)
            time.sleep(steady)
    finally:
        load.stop()
    return {"recovery": recovery, **reconcile(stack, ledger)}


def main() -> int:
    # A SIGTERM (a CI timeout, `kill`) unwinds like Ctrl-C: the servers started are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from tests.production.stack import ProductionStack

    seconds = float(os.environ.get("FAULT_SECONDS", "30"))
    stack = ProductionStack(Path(tempfile.mkdtemp(prefix="alur-faults-")))
    try:
        stack.start()
        result = run(stack, seconds=seconds, down=min(seconds, 5))
    finally:
        stack.stop()
    print(f"\nfaults ({seconds:g} s per stand-in fault, restarts down {min(seconds, 5):g} s):")
    for fault, took in result.pop("recovery").items():
        print(f"  {fault:<22} recovered in {took:>6.1f} s")
    for name, value in result.items():
        print(f"  {name:<22} {value}")
    print(f"  process restarts       {stack.restarts}")
    bad = result["lost"] or result["duplicated requests"] or result["half-written"]
    bad = bad or result["messages lost"] or result["duplicated messages"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
