"""An office with two units mapped to SIASN unor ids, employees in several states, and
the crafted SIASN export that has one case of every issue class."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission

from organization.admin_roles import HR_ADMIN_GROUP
from tests import factories
from tests.personnel.siasn_files import person

START = datetime.date(2021, 1, 4)


@pytest.fixture
def hr_user(db):
    user = factories.UserFactory(username="hr")
    user.groups.add(hr_group())
    return user


def hr_group() -> Group:
    """The one HR group (organization.admin_roles, with the reconcile permission). A
    transactional test that ran before on the same xdist worker flushes the tables
    (permissions come back with the post_migrate signal, a group's rows may not), so it
    is made again when missing."""
    group, _ = Group.objects.get_or_create(name=HR_ADMIN_GROUP)
    group.permissions.add(
        Permission.objects.get(codename="reconcile_personnel", content_type__app_label="personnel")
    )
    return group


@pytest.fixture
def office(db):
    kjb = factories.OfficeFactory(
        code="KJB", name="Kantor Kemenag Kota Jambi", siasn_unor_id="UNOR-KJB"
    )
    phu = factories.UnitFactory(office=kjb, code="phu", name="Seksi PHU", siasn_unor_id="UNOR-PHU")
    pendma = factories.UnitFactory(
        office=kjb, code="pendma", name="Seksi Pendma", siasn_unor_id="UNOR-PENDMA"
    )
    head = factories.PositionFactory(unit=phu, name="Kepala Seksi PHU", kind="pengawas")
    clerk = factories.PositionFactory(unit=phu, name="Pengelola Data Haji", superior=head)
    teacher = factories.PositionFactory(unit=pendma, name="Pengelola Data Madrasah")

    def employee(n, name, position, **kw):
        values = {"golongan": "32", "golongan_tmt": datetime.date(2020, 4, 1), **kw}
        e = factories.EmployeeFactory(nip=factories.make_nip(n), name=name, user=None, **values)
        if position is not None:
            factories.PositionHoldingFactory(employee=e, position=position, start_date=START)
        return e

    return SimpleNamespace(
        office=kjb,
        phu=phu,
        pendma=pendma,
        head=head,
        clerk=clerk,
        teacher=teacher,
        consistent=employee(1, "Ahmad Fauzi", clerk),
        mismatched=employee(2, "Siti Rahmawati", teacher, golongan_tmt=datetime.date(2019, 4, 1)),
        local_only=employee(3, "Budi Santoso", teacher),
        on_leave=employee(4, "Rina Marlina", head),
    )


def bkn_people(org):
    """The crafted export: one row per case."""
    common = {
        "jabatanNama": "Pengelola Data Haji",
        "tmtJabatan": "04-01-2021",
        "unorId": "UNOR-PHU",
        "unorNama": "Seksi PHU",
    }
    return [
        person(org.consistent.nip, "AHMAD  FAUZI", **common),
        person(
            org.mismatched.nip,
            "Siti Rahmawati",
            golRuangAkhirId="33",
            golRuangAkhir="III/c",
            jabatanNama="Pengelola Data Madrasah",
            tmtJabatan="04-01-2021",
            unorId="UNOR-PENDMA",
            unorNama="Seksi Pendma",
        ),
        person(
            org.on_leave.nip,
            "Rina Marlina",
            kedudukanPnsId="02",
            kedudukanPnsNama="CLTN",
            jabatanNama="Kepala Seksi PHU",
            jenisJabatanId="1",
            eselonId="41",
            tmtJabatan="04-01-2021",
            unorId="UNOR-PHU",
            unorNama="Seksi PHU",
        ),
        person(factories.make_nip(5), "Dewi Lestari", **common),  # not in Alur
        person("19850321201001100", "Nip Salah"),  # 17 digits
    ]
