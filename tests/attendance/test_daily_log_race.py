"""Two linked daily entries saved at once on real PostgreSQL, two connections: the second
waits on the rencana aksi's row lock until the first commits, then sums both, so no
entry is lost from the month's realisation ("sum of the daily log" setting)."""

import pytest

from attendance import services
from skp.models_realisation import Realisasi
from tests.races import while_held

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("daily_log_source")]


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

    blocked, outcomes = while_held(
        lambda: services.daily_log_create(user=org.staff.user, data=data(3)),
        lambda: services.daily_log_create(user=org.staff.user, data=data(4)),
    )
    assert outcomes == {"hold": "ok", "contender": "ok"}
    assert blocked
    row = Realisasi.objects.get(rencana_aksi=plans.rekap)
    assert (row.value, row.daily_entries) == (7, 2)
