"""A head of office with direct subordinates, built straight in the database (the
planning flow is tested elsewhere): approved SKPs and realised months on demand."""

from decimal import Decimal

from skp.models import Rhk, Skp
from skp.models_realisation import Realisasi, RencanaAksi
from tests import factories
from tests.skp.conftest import YEAR


def approved_skp(employee, position, *, year=YEAR) -> Skp:
    skp = Skp.objects.create(employee=employee, position=position, year=year, status="approved")
    Rhk.objects.create(skp=skp, text=f"RHK {employee.name}")
    return skp


def realise(skp, month, *pairs):
    """pairs of (target, realisasi or None) as rencana aksi of `month`."""
    rhk = skp.rhks.first()
    start = RencanaAksi.objects.filter(skp=skp, month=month).count()
    for i, (target, value) in enumerate(pairs, start=start):
        ra = RencanaAksi.objects.create(
            skp=skp, rhk=rhk, month=month, text=f"Aksi {i}", target=Decimal(target), unit="dok"
        )
        if value is not None:
            Realisasi.objects.create(rencana_aksi=ra, value=Decimal(value), capaian_raw=Decimal(0))


def staff(unit, name, *, superior, kind="pelaksana", username=None):
    position = factories.PositionFactory(unit=unit, name=name, kind=kind, superior=superior)
    extra = {"user__username": username} if username else {}
    employee = factories.EmployeeFactory(name=f"Pegawai {name}", **extra)
    factories.PositionHoldingFactory(employee=employee, position=position)
    return position, employee
