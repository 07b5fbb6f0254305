"""Shared workflow fixtures (registered for the whole suite in tests/conftest.py)."""

import pytest

from organization.models import StaffMembership
from tests import factories


@pytest.fixture
def umrah(db):
    """A realistic service: recommendation for an umrah passport, two units, three steps."""
    office = factories.OfficeFactory(code="KJB", name="Kankemenag Kota Jambi")
    phu = factories.UnitFactory(office=office, code="phu", name="Seksi PHU")
    tu = factories.UnitFactory(office=office, code="tu", name="Subbagian TU")
    service = factories.ServiceTypeFactory(
        code="rekomendasi-paspor-umrah",
        name="Rekomendasi Paspor Umrah",
        unit=phu,
        sla_working_days=3,
        product="Surat rekomendasi",
        product_is_digital=True,
    )
    factories.FormFieldFactory(service=service, code="nama_ppiu", label="Nama PPIU", order=1)
    factories.FormFieldFactory(
        service=service, code="tanggal_berangkat", label="Tanggal", type="date", order=2
    )
    factories.FormFieldFactory(
        service=service,
        code="jenis_kelamin",
        label="Jenis kelamin",
        type="choice",
        choices=["L", "P"],
        order=3,
    )
    factories.FormFieldFactory(
        service=service, code="jumlah", label="Jumlah", type="number", required=False, order=4
    )
    factories.RequiredDocumentFactory(service=service, code="ktp", label="KTP", order=1)
    factories.RequiredDocumentFactory(
        service=service, code="surat_ppiu", label="Surat PPIU", required=False, order=2
    )
    factories.StepFactory(
        service=service, order=1, name="Verifikasi berkas", unit=phu, may_return=True
    )
    factories.StepFactory(service=service, order=2, name="Paraf Kasi", unit=phu)
    factories.StepFactory(
        service=service, order=3, name="Tanda tangan", unit=tu, produces_result=True
    )
    return service


@pytest.fixture
def staff(umrah):
    return member(umrah.unit, "staff", "petugas_phu")


@pytest.fixture
def staff2(umrah):
    return member(umrah.unit, "staff", "petugas_phu2")


@pytest.fixture
def supervisor(umrah):
    return member(umrah.unit, "supervisor", "kasi_phu")


@pytest.fixture
def tu_staff(umrah):
    return member(umrah.steps.get(order=3).unit, "staff", "petugas_tu")


@pytest.fixture
def outsider(db):
    return member(factories.UnitFactory(name="Seksi Lain"), "supervisor", "orang_lain")


@pytest.fixture
def clerk(umrah):
    ptsp = factories.UnitFactory(office=umrah.unit.office, code="ptsp", name="PTSP")
    return member(ptsp, "clerk", "loket")


def member(unit, role, username):
    user = factories.UserFactory(username=username)
    StaffMembership.objects.create(user=user, unit=unit, role=role)
    return user


def umrah_data(**overrides):
    data = {"nama_ppiu": "PT Amanah", "tanggal_berangkat": "2026-12-20", "jenis_kelamin": "P"}
    data.update(overrides)
    return data


def submission(service_code="rekomendasi-paspor-umrah", **overrides):
    body = {
        "service": service_code,
        "applicant": {"name": "Siti Aminah", "phone": "0812-3456-7890", "nik": "3273015508900001"},
        "data": umrah_data(),
    }
    body.update(overrides)
    return body


def post_submission(client, body=None, files=None, **headers):
    """POST /api/v1/requests/ as multipart (payload part + file parts by document code)."""
    import json

    from tests import factories

    body = body if body is not None else submission()
    files = {"ktp": factories.pdf_upload()} if files is None else files
    return client.post(
        "/api/v1/requests/",
        {"payload": json.dumps(body), **files},
        format="multipart",
        headers=headers,
    )
