"""A service shared between offices: exported (fields, documents, steps) as one catalogue
file, imported into another office with its units mapped, it is the same public entry."""

import io

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from services_catalog.models import ServiceType
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    kjb = factories.OfficeFactory(code="KJB", name="Kantor Kemenag Kota Jambi")
    mjb = factories.OfficeFactory(code="MJB", name="Kantor Kemenag Muaro Jambi")
    units = {}
    for office in (kjb, mjb):
        units[office.code, "ptsp"] = factories.UnitFactory(
            office=office, code="ptsp", name="PTSP", kind="ptsp"
        )
    units["KJB", "phu"] = factories.UnitFactory(office=kjb, code="phu", name="Seksi PHU")
    units["MJB", "haji"] = factories.UnitFactory(office=mjb, code="haji", name="Seksi Haji")
    service = factories.ServiceTypeFactory(
        code="rekomendasi-paspor",
        name="Rekomendasi Paspor Haji/Umrah",
        unit=units["KJB", "phu"],
        sla_working_days=3,
        fee=0,
        requirements="1. KTP\n2. KK",
        legal_basis="PMA 13/2021",
        product="Surat rekomendasi",
        product_is_digital=True,
    )
    factories.FormFieldFactory(service=service, code="keperluan", label="Keperluan", order=1)
    factories.FormFieldFactory(
        service=service,
        code="jenis",
        label="Jenis",
        type="choice",
        choices=["haji", "umrah"],
        order=2,
    )
    factories.RequiredDocumentFactory(
        service=service,
        code="ktp",
        label="KTP",
        content_types=["application/pdf"],
        max_bytes=1_000_000,
    )
    factories.StepFactory(
        service=service, order=1, name="Verifikasi", unit=units["KJB", "ptsp"], may_return=True
    )
    factories.StepFactory(
        service=service,
        order=2,
        name="Tanda tangan",
        unit=units["KJB", "phu"],
        produces_result=True,
        sla_working_days=2,
    )
    return kjb, mjb, service


def _entry(code):
    body = APIClient().get(f"/api/v1/services/{code}/").json()
    unit = body.pop("unit")
    body.pop("code")
    return body, unit


def test_round_trip_into_another_office_is_the_same_public_entry(offices, tmp_path):
    _, mjb, service = offices
    out = io.StringIO()
    call_command("export_service", service.code, stdout=out)
    path = tmp_path / "layanan.yaml"
    path.write_text(out.getvalue())
    assert "format: alur-catalogue/1" in out.getvalue()
    call_command(
        "import_service",
        str(path),
        "--office",
        "MJB",
        "--unit",
        "KJB/phu=MJB/haji",
        stdout=io.StringIO(),
    )
    copy = ServiceType.objects.get(code="rekomendasi-paspor-mjb")
    original, original_unit = _entry(service.code)
    imported, imported_unit = _entry(copy.code)
    assert imported == original
    assert imported_unit["code"] == "haji" and imported_unit["office"]["code"] == "MJB"
    assert [(s.order, s.unit.office.code, s.unit.code) for s in copy.steps.all()] == [
        (1, "MJB", "ptsp"),
        (2, "MJB", "haji"),
    ]
    # Importing the same file again changes nothing.
    call_command(
        "import_service",
        str(path),
        "--office",
        "MJB",
        "--unit",
        "KJB/phu=MJB/haji",
        stdout=io.StringIO(),
    )
    assert ServiceType.objects.filter(code__startswith="rekomendasi-paspor").count() == 2
    assert _entry(copy.code)[0] == original


def test_an_unmapped_unit_missing_in_the_other_office_imports_nothing(offices, tmp_path):
    _, _, service = offices
    out = io.StringIO()
    call_command("export_service", service.code, stdout=out)
    path = tmp_path / "layanan.yaml"
    path.write_text(out.getvalue())
    with pytest.raises(CommandError) as error:
        call_command(
            "import_service",
            str(path),
            "--office",
            "MJB",
            "--code",
            "rekomendasi-paspor=paspor-mjb",
        )
    assert "MJB/phu" in str(error.value)
    assert not ServiceType.objects.filter(code="paspor-mjb").exists()


def test_the_admin_exports_selected_services(offices, admin_client):
    _, _, service = offices
    response = admin_client.post(
        "/admin/services_catalog/servicetype/",
        {"action": "export_catalogue", "_selected_action": [service.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="layanan.yaml"'
    body = response.content.decode()
    assert "code: rekomendasi-paspor" in body and "unit: KJB/ptsp" in body
