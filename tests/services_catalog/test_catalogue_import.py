"""Importing a catalogue file: `manage.py import_catalogue` and the admin page, one loader,
whole-entry validation, all or nothing, importing twice changes nothing."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from organization.models import ActingAssignment, Employee, Office, Position, Unit
from services_catalog.loader import CatalogueFileError, catalogue_file_read, catalogue_import
from services_catalog.models import FormField, ServiceType, Step
from tests import factories

pytestmark = pytest.mark.django_db

CATALOGUE = """
format: alur-catalogue/1
defaults:
  complaint_channel: SP4N-LAPOR!
services:
  - code: surat-keterangan
    name: Surat Keterangan
    unit: KJB/ptsp
    sla_working_days: 2
    product: Surat keterangan
    fields:
      - {code: keperluan, label: Keperluan}
      - {code: jumlah, label: Jumlah, type: number, required: false}
    documents:
      - {code: ktp, label: KTP, content_types: [application/pdf], max_bytes: 1048576}
    steps:
      - {name: Verifikasi, unit: KJB/ptsp, may_return: true}
      - {name: Tanda tangan, unit: KJB/ptsp, sla_working_days: 1, produces_result: true}
"""
SIGNATURE_STEP = (
    "      - {name: Tanda tangan, unit: KJB/ptsp, sla_working_days: 1, produces_result: true}\n"
)


@pytest.fixture
def unit():
    office = factories.OfficeFactory(code="KJB")
    return factories.UnitFactory(office=office, code="ptsp")


def run_command(text, tmp_path):
    path = tmp_path / "katalog.yaml"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_catalogue", str(path), stdout=out)
    return json.loads(out.getvalue())


def test_the_command_imports_a_service_with_its_parts_and_a_second_run_changes_nothing(
    unit, tmp_path
):
    counts = run_command(CATALOGUE, tmp_path)
    assert counts["services"] == 1
    service = ServiceType.objects.get(code="surat-keterangan")
    assert (service.unit, service.complaint_channel, service.is_active) == (
        unit,
        "SP4N-LAPOR!",
        True,
    )
    assert [(f.code, f.type, f.required, f.order) for f in service.fields.all()] == [
        ("keperluan", "text", True, 1),
        ("jumlah", "number", False, 2),
    ]
    assert [(s.order, s.name, s.may_return, s.produces_result) for s in service.steps.all()] == [
        (1, "Verifikasi", True, False),
        (2, "Tanda tangan", False, True),
    ]
    rows = sorted(FormField.objects.values_list("pk", "code", "label", "order"))
    steps = sorted(Step.objects.values_list("pk", "order", "name"))
    run_command(CATALOGUE, tmp_path)
    assert sorted(FormField.objects.values_list("pk", "code", "label", "order")) == rows
    assert sorted(Step.objects.values_list("pk", "order", "name")) == steps


def test_a_reimport_replaces_the_entry_with_the_file_s_version(unit, tmp_path):
    run_command(CATALOGUE, tmp_path)
    shorter = CATALOGUE.replace(
        "      - {code: jumlah, label: Jumlah, type: number, required: false}\n", ""
    )
    shorter = shorter.replace(SIGNATURE_STEP, "")
    run_command(shorter, tmp_path)
    service = ServiceType.objects.get(code="surat-keterangan")
    assert list(service.fields.values_list("code", flat=True)) == ["keperluan"]
    assert list(service.steps.values_list("name", flat=True)) == ["Verifikasi"]


def test_every_problem_is_reported_with_its_place_and_nothing_is_written(unit, tmp_path):
    broken = (
        CATALOGUE
        + """
  - code: kedua
    name: Kedua
    unit: KJB/tidak-ada
    product: x
    steps: [{name: A, unit: KJB/ptsp}]
  - code: ketiga
    name: Ketiga
    unit: KJB/ptsp
    product: x
    sla_working_days: banyak
    fields:
      - {code: a, label: A, type: pilihan}
      - {code: a, label: A lagi, requird: true}
    steps:
      - {name: A, unit: KJB/ptsp, produces_result: true}
      - {name: B, unit: KJB/ptsp, produces_result: true}
"""
    )
    with pytest.raises(CommandError) as raised:
        run_command(broken, tmp_path)
    message = str(raised.value)
    assert "nothing imported" in message
    assert "services[2] (kedua): unit 'KJB/tidak-ada' tidak dikenal" in message
    assert "services[3] (ketiga): sla_working_days:" in message
    assert "services[3] (ketiga).fields[1]: type:" in message
    assert "services[3] (ketiga).fields[2]: kunci tidak dikenal: requird" in message
    assert (
        "services[3] (ketiga): Hanya satu tahapan yang boleh menghasilkan dokumen hasil." in message
    )
    assert not ServiceType.objects.exists()  # the valid first entry was rolled back too


def test_whole_entry_rules_are_the_admin_s(unit):
    document = catalogue_file_read(CATALOGUE.replace("code: ktp", "code: keperluan"))
    with pytest.raises(CatalogueFileError) as raised:
        catalogue_import(document=document)
    assert raised.value.errors == [
        "services[1] (surat-keterangan): "
        "Isian dan dokumen tidak boleh memakai kode yang sama: keperluan."
    ]


def test_a_step_used_by_a_request_is_not_removed(unit, tmp_path):
    run_command(CATALOGUE, tmp_path)
    service = ServiceType.objects.get(code="surat-keterangan")
    request = factories.submit_request(service)
    factories.RequestEventFactory(request=request, step=service.steps.get(order=2))
    one_step = CATALOGUE.replace(SIGNATURE_STEP, "")
    with pytest.raises(
        CommandError, match="tahapan yang sudah dipakai permohonan tidak dapat dihapus"
    ):
        run_command(one_step, tmp_path)
    assert service.steps.count() == 2


def test_files_that_are_not_catalogues_are_refused(unit):
    for text, expected in [
        ("[1, 2", "Berkas bukan YAML yang sah"),
        ("- a list", "Berkas harus berupa pemetaan bagian-bagian."),
        ("format: other/9\nservices: []", "Format 'other/9' tidak dikenal"),
        ("format: alur-catalogue/1\nservis: []", "Bagian tidak dikenal: servis."),
        ("format: alur-catalogue/1\nservices: !!python/object:os.system {}", "bukan YAML yang sah"),
    ]:
        with pytest.raises(CatalogueFileError, match=expected):
            catalogue_file_read(text)


def test_the_organisation_sections_load_offices_positions_employees_and_a_plt(tmp_path):
    nip_head, nip_acting = factories.make_nip(1), factories.make_nip(2)
    organisation = f"""
format: alur-organisation/1
offices:
  - code: KWJ
    name: Kanwil
    kind: kanwil
    units: [{{code: tu, name: Bagian TU, kind: other}}]
  - code: KJB
    name: Kota
    kind: kankemenag
    parent: KWJ
    units: [{{code: bimas, name: Seksi Bimas, kind: seksi}}]
positions:
  - {{key: head, unit: KWJ/tu, name: Kepala Kanwil, kind: jpt}}
  - {{key: kasi, unit: KJB/bimas, name: Kepala Seksi, kind: pengawas, superior: head}}
employees:
  - {{nip: '{nip_head}', name: Kepala, holds: head, since: 2023-01-02}}
  - {{nip: '{nip_acting}', name: Pelaksana}}
acting:
  - {{position: kasi, nip: '{nip_acting}', decree_number: B-1/2026,
      start_date: today-1, end_date: today+10}}
"""
    counts = run_command(organisation, tmp_path)
    assert (counts["offices"], counts["units"], counts["positions"]) == (2, 2, 2)
    assert Office.objects.get(code="KJB").parent.code == "KWJ"
    assert Position.objects.get(name="Kepala Seksi").superior.name == "Kepala Kanwil"
    assert Employee.objects.get(nip=nip_head).holdings.get().position.name == "Kepala Kanwil"
    assert ActingAssignment.objects.get().employee.nip == nip_acting
    run_command(organisation, tmp_path)
    assert (Unit.objects.count(), Position.objects.count(), ActingAssignment.objects.count()) == (
        2,
        2,
        1,
    )


@pytest.fixture
def admin_client(client):
    user = factories.UserFactory(username="root")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def upload(text):
    return SimpleUploadedFile("katalog.yaml", text.encode(), content_type="application/yaml")


def test_the_admin_imports_a_catalogue_file(unit, admin_client):
    url = reverse("admin:services_catalog_servicetype_import")
    changelist = admin_client.get(reverse("admin:services_catalog_servicetype_changelist"))
    assert f'href="{url}"' in changelist.text
    response = admin_client.post(url, {"file": upload(CATALOGUE)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "admin:services_catalog_servicetype_changelist"
    )
    assert "1 layanan diimpor." in response.text
    assert ServiceType.objects.get().steps.count() == 2


def test_the_admin_shows_every_problem_and_imports_nothing(unit, admin_client):
    url = reverse("admin:services_catalog_servicetype_import")
    broken = CATALOGUE.replace("sla_working_days: 2", "sla_working_days: -2")
    response = admin_client.post(url, {"file": upload(broken)})
    assert response.status_code == 200
    assert "Tidak ada yang diimpor: 1 masalah." in response.text
    assert "services[1] (surat-keterangan): sla_working_days:" in response.text
    assert not ServiceType.objects.exists()


def test_the_admin_page_refuses_organisation_sections(unit, admin_client):
    url = reverse("admin:services_catalog_servicetype_import")
    text = CATALOGUE + "offices:\n  - {code: MJB, name: Muaro Jambi, kind: kankemenag}\n"
    response = admin_client.post(url, {"file": upload(text)})
    assert "offices" in response.text
    assert not Office.objects.filter(code="MJB").exists()
    assert not ServiceType.objects.exists()


def test_staff_without_the_catalogue_permissions_may_not_import(unit, client):
    user = factories.UserFactory(username="staf")
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.post(
        reverse("admin:services_catalog_servicetype_import"), {"file": upload(CATALOGUE)}
    )
    assert response.status_code == 403
    assert not ServiceType.objects.exists()
