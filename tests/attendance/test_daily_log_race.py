"""Two linked daily entries saved at once on real PostgreSQL, two connections: the second
waits on the rencana aksi's row lock until the first commits, then sums both, so no
entry is lost from the month's realisation ("sum of the daily log" setting)."""

import threading

import pytest
from django.db import connection, transaction

from attendance import services
from skp.models_realisation import Realisasi

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("daily_log_source")]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _waits_on_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"


def test_two_entries_saved_at_once_both_count(org, plans):
    def data(quantity):
        return {
            "date": org.today,
            "start": "08:00",
            "end": "09:00",
            "activity": "Rekap",
            "quantity": quantity,
            "rencana_aksi": plans.rekap.pk,
        }

    first_saved, release, second_done = threading.Event(), threading.Event(), threading.Event()
    second_pid: list[int] = []
    outcome: dict[str, str] = {}

    def first():
        try:
            with transaction.atomic():
                services.daily_log_create(user=org.staff.user, data=data(3))
                first_saved.set()
                release.wait(30)  # still uncommitted while the second one runs
            outcome["first"] = "ok"
        except Exception as exc:  # noqa: BLE001 - shown by the assertion below
            outcome["first"] = repr(exc)
        finally:
            connection.close()

    def second():
        try:
            first_saved.wait(30)
            second_pid.append(_backend_pid())
            services.daily_log_create(user=org.staff.user, data=data(4))
            outcome["second"] = "ok"
        except Exception as exc:  # noqa: BLE001 - shown by the assertion below
            outcome["second"] = repr(exc)
        finally:
            second_done.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    blocked = False
    for _ in range(400):
        if second_done.wait(0.05):
            break
        if second_pid and _waits_on_a_lock(second_pid[0]):
            blocked = True
            break
    release.set()
    for t in threads:
        t.join(timeout=30)
    assert outcome == {"first": "ok", "second": "ok"}
    assert blocked
    row = Realisasi.objects.get(rencana_aksi=plans.rekap)
    assert (row.value, row.daily_entries) == (7, 2)
