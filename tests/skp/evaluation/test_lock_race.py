"""A write racing the FIRST payment lock of a month (no lock row exists yet to hold FOR
UPDATE) is serialised on real PostgreSQL, two connections: the write waits for the
locking transaction, then sees the lock and answers 409, so the snapshot the payment is
made from is never missing a write committed after it."""

import threading

import pytest
from django.db import connection

from config.exceptions import Conflict
from skp import services_lock, services_realisation
from skp.models import Skp
from skp.models_lock import AllowanceAdmin, CapaianSnapshot, PeriodLock
from skp.models_realisation import Realisasi
from tests import factories
from tests.races import while_held
from tests.skp.conftest import YEAR
from tests.skp.evaluation.conftest import plan

pytestmark = pytest.mark.django_db(transaction=True)


def _allowance_admin(org):
    user = factories.UserFactory(username="hr_tukin")
    AllowanceAdmin.objects.create(user=user, office=org.unit.office)
    return user


def test_a_write_racing_the_first_lock_of_a_month_waits_and_gets_409(org, approved, owner):
    admin = _allowance_admin(org)
    ra_id = plan(owner, approved, 4, target="4", value="2")
    assert not PeriodLock.objects.filter(month=4).exists()
    skp = Skp.objects.get(pk=approved.id)
    item = {"id": ra_id, "rhk": approved.rhk, "text": "Rekap data EMIS", "target": "4"}
    item.update(unit="dokumen", realisasi={"value": "4", "note": "Semua selesai"})
    # Until the locker commits, the writer must be blocked inside PostgreSQL.
    blocked, outcomes = while_held(
        lambda: services_lock.period_lock(user=admin, office=org.unit.office, year=YEAR, month=4),
        lambda: services_realisation.rencana_aksi_put(
            skp=skp, user=org.owner.user, month=4, items=[item]
        ),
        expected=(Conflict,),
    )
    assert blocked, outcomes
    assert outcomes == {"hold": "ok", "contender": "Conflict"}
    assert Realisasi.objects.get(rencana_aksi_id=ra_id).value == 2
    snapshot = CapaianSnapshot.objects.get(lock__month=4, skp_id=approved.id)
    assert snapshot.capaian_pegawai == 50


def test_two_admins_locking_a_new_month_at_once_one_wins(org, approved):
    admins = [_allowance_admin(org), factories.UserFactory(username="hr_kedua")]
    AllowanceAdmin.objects.create(user=admins[1], office=org.unit.office)
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def run(i):
        try:
            barrier.wait()
            services_lock.period_lock(user=admins[i], office=org.unit.office, year=YEAR, month=5)
            outcomes[i] = "ok"
        except Conflict:
            outcomes[i] = "conflict"
        except Exception as exc:  # noqa: BLE001 - shown by the assertion below
            outcomes[i] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "ok"], outcomes
    lock = PeriodLock.objects.get(month=5)
    assert lock.events.count() == 1 and lock.snapshots.count() == 1
