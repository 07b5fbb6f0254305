"""DOMAIN.md 4: the head's monthly capaian is the mean of the direct structural
subordinates' (its Kota Jambi example gives 90.00)."""

import pytest

from skp.selectors_realisation import capaian_pegawai, head_capaian
from tests import factories
from tests.skp.conftest import YEAR, client_for
from tests.skp.evaluation.orgtree import approved_skp, realise, staff

pytestmark = pytest.mark.django_db
MARCH = 3


@pytest.fixture
def kantor(db):
    office = factories.OfficeFactory(code="KJB")
    tu = factories.UnitFactory(office=office, code="tu", name="Subbagian Tata Usaha")
    kakan = factories.PositionFactory(
        unit=tu, name="Kepala Kantor", kind="administrator", is_head=True
    )
    head = factories.EmployeeFactory(name="H. Abdul Halim", user__username="kakan")
    factories.PositionHoldingFactory(employee=head, position=kakan)
    skps = {}
    for name, kind in [
        ("Kasubbag TU", "pengawas"),
        ("Kasi Pendma", "pengawas"),
        ("Kasi Bimas", "pengawas"),
        ("JF Penyuluh", "fungsional"),
    ]:
        position, employee = staff(tu, name, superior=kakan, kind=kind)
        skps[name] = approved_skp(employee, position)
    staff(tu, "Kasi PHU", superior=kakan, kind="pengawas")  # held, but no SKP
    factories.PositionFactory(unit=tu, name="Kasi Zawa", kind="pengawas", superior=kakan)
    realise(skps["Kasubbag TU"], MARCH, ("10", "9"))  # 90.00
    realise(skps["Kasi Pendma"], MARCH, ("4", "4"), ("2", "5"))  # 100, 100 (capped)
    realise(skps["Kasi Bimas"], MARCH, ("5", "4"))  # 80.00
    realise(skps["JF Penyuluh"], MARCH, ("1", "0"))  # 0: excluded by default anyway
    head_skp = approved_skp(head, kakan)
    realise(head_skp, MARCH, ("1", "0"))  # the head's own plans are not mixed in
    return kakan, head, head_skp, skps


def test_the_domain_example_gives_90(kantor):
    kakan, _head, head_skp, _skps = kantor
    assert str(head_capaian(position=kakan, year=YEAR, month=MARCH)) == "90.00"
    assert str(capaian_pegawai(skp=head_skp, month=MARCH)) == "90.00"


def test_the_api_answers_the_mean_for_the_head(kantor):
    _kakan, head, head_skp, _skps = kantor
    body = client_for(head.user).get(f"/api/v1/skp/{head_skp.pk}/rencana-aksi/?bulan=3").json()
    assert body["capaian_pegawai"] == "90.00" and body["is_head"] is True


def test_a_plan_without_realisation_counts_zero(kantor):
    kakan, _h, _s, skps = kantor
    realise(skps["Kasi Bimas"], MARCH, ("5", None))  # (80 + 0) / 2 = 40
    assert str(head_capaian(position=kakan, year=YEAR, month=MARCH)) == "76.67"


def test_nobody_with_a_plan_means_undefined_not_zero(kantor):
    kakan, _h, head_skp, _s = kantor
    assert head_capaian(position=kakan, year=YEAR, month=4) is None
    assert capaian_pegawai(skp=head_skp, month=4) is None


def test_setting_includes_non_structural(kantor, settings):
    kakan, *_ = kantor
    settings.SKP_HEAD_INCLUDES_NON_STRUCTURAL = True
    assert str(head_capaian(position=kakan, year=YEAR, month=MARCH)) == "67.50"


def test_a_sub_head_contributes_its_own_mean(kantor):
    kakan, _h, _s, skps = kantor
    pendma = skps["Kasi Pendma"].position
    pendma.is_head = True
    pendma.save(update_fields=["is_head"])
    unit = pendma.unit
    position, employee = staff(unit, "Pengolah Data", superior=pendma, kind="pengawas")
    realise(approved_skp(employee, position), MARCH, ("2", "1"))  # 50: Pendma's figure
    assert str(head_capaian(position=kakan, year=YEAR, month=MARCH)) == "73.33"
