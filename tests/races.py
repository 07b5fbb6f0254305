"""Two connections racing on real PostgreSQL: one holds a transaction open while the other
runs, and the test learns whether the second had to wait on a lock inside PostgreSQL
(pg_stat_activity) until the first committed. Tests using it need
`django_db(transaction=True)`: each thread has its own connection."""

import threading

from django.db import connection, transaction

TIMEOUT = 30.0


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _waits_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def _outcome(action, expected) -> str:
    try:
        action()
    except expected as exc:
        return type(exc).__name__
    except Exception as exc:  # noqa: BLE001 - shown by the caller's assertion
        return repr(exc)
    return "ok"


def while_held(hold, contender, *, expected: tuple = ()) -> tuple[bool, dict[str, str]]:
    """Run `hold()` in a transaction kept open until `contender()`, started on a second
    connection once `hold()` has run, is seen waiting on a lock or has finished; then
    commit. Returns (blocked, outcomes): each of "hold" and "contender" is "ok", the class
    name of an exception in `expected`, or the repr of any other."""
    held, release, done = threading.Event(), threading.Event(), threading.Event()
    contender_pid: list[int] = []
    outcomes: dict[str, str] = {}

    def holding():
        def in_transaction():
            with transaction.atomic():
                hold()
                held.set()
                release.wait(TIMEOUT)  # still uncommitted while the contender runs

        try:
            outcomes["hold"] = _outcome(in_transaction, expected)
        finally:
            held.set()  # a failed hold lets the contender go (the outcome tells)
            connection.close()

    def contending():
        try:
            held.wait(TIMEOUT)
            contender_pid.append(_backend_pid())
            outcomes["contender"] = _outcome(contender, expected)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=holding), threading.Thread(target=contending)]
    for thread in threads:
        thread.start()
    blocked = False
    for _ in range(int(TIMEOUT / 0.05)):
        if done.wait(0.05):
            break
        if contender_pid and _waits_on_a_lock(contender_pid[0]):
            blocked = True
            break
    release.set()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    return blocked, outcomes
