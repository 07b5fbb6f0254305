"""Two catalogue services of one office (one with required documents) and an API client."""

from types import SimpleNamespace

import pytest

from open311.services import api_client_create
from tests import factories

APPLICANT = {
    "first_name": "Siti",
    "last_name": "Aminah",
    "phone": "0812-3456-7890",
    "email": "siti.aminah@example.com",
    "nik": "3273015508900001",
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def catalogue(db):
    office = factories.OfficeFactory(code="KJB", name="Kantor Kementerian Agama Kota Jambi")
    unit = factories.UnitFactory(office=office, code="phu", name="Seksi PHU")
    umrah = factories.ServiceTypeFactory(
        code="rekomendasi-paspor-umrah",
        name="Rekomendasi Paspor Umrah",
        unit=unit,
        sla_working_days=3,
        description="Rekomendasi untuk kantor imigrasi.",
    )
    factories.FormFieldFactory(service=umrah, code="keperluan", label="Keperluan", order=1)
    factories.FormFieldFactory(
        service=umrah,
        code="jenis",
        label="Jenis perjalanan",
        type="choice",
        choices=["umrah", "haji khusus"],
        order=2,
    )
    factories.FormFieldFactory(
        service=umrah,
        code="tanggal_berangkat",
        type="date",
        label="Tanggal berangkat",
        required=False,
        order=3,
    )
    factories.StepFactory(service=umrah, order=1, name="Verifikasi berkas", may_return=True)
    factories.StepFactory(service=umrah, order=2, name="Penandatanganan")
    legalisir = factories.ServiceTypeFactory(
        code="legalisir-ijazah", name="Legalisir Ijazah", unit=unit, fee=0
    )
    factories.RequiredDocumentFactory(service=legalisir, code="ijazah", label="Ijazah")
    factories.StepFactory(service=legalisir, order=1, name="Legalisir")
    client, key = api_client_create(name="Aplikasi Pemda", post_rate="100/min")
    return SimpleNamespace(
        office=office, unit=unit, umrah=umrah, legalisir=legalisir, client=client, key=key
    )
