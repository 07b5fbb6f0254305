"""HR's Excel/CSV import and export of offices, units, positions and employees: round
trip unchanged, a bad file imports nothing and lists every row's error, idempotent
re-import by NIP, and an HR administrator reaches only their office."""

import datetime

import pytest
import tablib
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from organization.admin_roles import HR_ADMIN_GROUP, admin_groups_ensure
from organization.hr_exchange import HR_RESOURCES
from organization.models import Employee, Office, Position, PositionHolding, Unit
from tests import factories

pytestmark = pytest.mark.django_db

ADMINISTRATION = "KA1,tu,Pengadministrasi,2024-01-02"  # a position and its start
HEADERS = (
    "nip,nama,email,telepon,golongan,tmt_golongan,kedudukan,"
    "jabatan_kantor,jabatan_unit,jabatan_nama,mulai_menjabat"
)


@pytest.fixture
def org():
    kanwil = factories.OfficeFactory(code="KW1", name="Kanwil Satu", kind=Office.Kind.KANWIL)
    office = factories.OfficeFactory(code="KA1", name="Kantor Satu", parent=kanwil)
    other = factories.OfficeFactory(code="KB2", name="Kantor Dua", parent=kanwil)
    head_kw = factories.PositionFactory(
        unit=factories.UnitFactory(office=kanwil, code="tu", name="Bagian TU"),
        name="Kepala Kanwil", kind="jpt", is_head=True,
    )  # fmt: skip
    tu = factories.UnitFactory(office=office, code="tu", name="Subbagian TU", kind="subbagian")
    head = factories.PositionFactory(
        unit=tu, name="Kepala Kantor", kind="jpt", superior=head_kw, is_head=True
    )
    staff_position = factories.PositionFactory(unit=tu, name="Pengadministrasi", superior=head)
    other_tu = factories.UnitFactory(office=other, code="tu", name="Subbagian TU Dua")
    other_position = factories.PositionFactory(unit=other_tu, name="Pengadministrasi")
    people = []
    for n, position in enumerate([head, staff_position, staff_position, other_position], 1):
        employee = factories.EmployeeFactory(
            nip=factories.make_nip(n), name=f"Pegawai {n}", phone=f"+6281234567{n:03d}",
            golongan="32", golongan_tmt=datetime.date(2020, 4, 1),
        )  # fmt: skip
        factories.PositionHoldingFactory(
            employee=employee, position=position, start_date=datetime.date(2021, 1, 4)
        )
        people.append(employee)
    return {"office": office, "other": other, "tu": tu, "people": people}


def snapshot():
    return {
        "offices": list(Office.objects.order_by("pk").values()),
        "units": list(Unit.objects.order_by("pk").values()),
        "positions": list(Position.objects.order_by("pk").values()),
        "employees": list(Employee.objects.order_by("pk").values()),
        "holdings": list(PositionHolding.objects.order_by("pk").values()),
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(org, fmt):
    before = snapshot()
    for model in (Office, Unit, Position, Employee):
        resource = HR_RESOURCES[model](office_ids=None)
        exported = resource.export()
        assert len(exported) == model.objects.count()
        data = tablib.Dataset().load(exported.export(fmt), format=fmt)
        result = HR_RESOURCES[model](office_ids=None).import_data(data, dry_run=False)
        assert not result.has_errors() and not result.has_validation_errors()
        assert {row.import_type for row in result.rows} == {"skip"}, model
    assert snapshot() == before


def test_exported_employee_columns_use_natural_keys(org):
    exported = HR_RESOURCES[Employee](office_ids=None).export()
    assert exported.headers == HEADERS.split(",")
    first = dict(zip(exported.headers, exported[0], strict=True))
    assert first["golongan"] == "III/b"
    assert (first["jabatan_kantor"], first["jabatan_unit"]) == ("KA1", "tu")
    assert first["jabatan_nama"] == "Kepala Kantor" and first["mulai_menjabat"] == "2021-01-04"


def _csv(*rows):
    return tablib.Dataset().load("\n".join([HEADERS, *rows]), format="csv")


def test_a_file_with_bad_rows_imports_nothing_and_names_every_error(org):
    before = snapshot()
    data = _csv(
        f"198001012005011001,Baru Benar,,0812 1111 2222,III/a,,01,{ADMINISTRATION}",
        f"198013012005011001,NIP Salah,,,,,01,{ADMINISTRATION}",
        f"198001012005011002,Telepon Salah,,12345,,,01,{ADMINISTRATION}",
        "198001012005011003,Jabatan Salah,,,,,01,KA1,tu,Juru Masak,2024-01-02",
        f"198001012005011004,Golongan Salah,,,V/z,,01,{ADMINISTRATION}",
    )
    with translation.override("id"):
        result = HR_RESOURCES[Employee](office_ids=None).import_data(
            data, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
        )
        errors = {
            row.number: " ".join(str(m) for ms in row.error_dict.values() for m in ms)
            for row in result.invalid_rows
        }
    assert sorted(errors) == [2, 3, 4, 5]
    assert "tanggal lahir" in errors[2]
    assert "nomor telepon" in errors[3].lower()
    assert "tidak mempunyai jabatan bernama 'Juru Masak'" in errors[4]
    assert "bukan golongan" in errors[5]
    assert snapshot() == before


def test_reimport_updates_by_nip_and_changes_position_without_duplicates(org):
    staff = org["people"][1]
    row = f"{staff.nip},Nama Baru,,0812-3456-7001,III/c,2024-04-01,01,"
    row += "KA1,tu,Kepala Kantor,2025-02-03"
    resource = HR_RESOURCES[Employee]
    PositionHolding.objects.filter(position__name="Kepala Kantor").update(
        end_date=datetime.date(2025, 1, 31)
    )
    result = resource(office_ids=None).import_data(_csv(row), dry_run=False)
    assert [r.import_type for r in result.rows] == ["update"]
    again = resource(office_ids=None).import_data(_csv(row), dry_run=False)
    assert [r.import_type for r in again.rows] == ["skip"]
    staff.refresh_from_db()
    assert (staff.name, staff.phone, staff.golongan) == ("Nama Baru", "+6281234567001", "33")
    assert Employee.objects.filter(nip=staff.nip).count() == 1
    holdings = list(staff.holdings.order_by("start_date").values_list("position__name", "end_date"))
    assert holdings == [
        ("Pengadministrasi", datetime.date(2025, 2, 2)),
        ("Kepala Kantor", None),
    ]


def test_hr_admin_reaches_only_their_office(org):
    scope = {org["office"].pk}
    exported = HR_RESOURCES[Employee](office_ids=scope).export(
        queryset=Employee.objects.filter(holdings__position__unit__office=org["office"])
    )
    assert len(exported) == 3
    outsider = org["people"][3]
    data = _csv(
        f"{outsider.nip},Pindah,,,,,01,{ADMINISTRATION}",
        "198001012005011001,Kantor Lain,,,,,01,KB2,tu,Pengadministrasi,2024-01-02",
    )
    with translation.override("id"):
        result = HR_RESOURCES[Employee](office_ids=scope).import_data(data, dry_run=True)
        errors = [str(row.error_dict) for row in result.invalid_rows]
    assert len(errors) == 2
    assert "pegawai kantor lain" in errors[0]
    assert "bukan kantor yang Anda kelola" in errors[1]
    for model, text in (
        (Unit, "kode_kantor,kode,nama,jenis,siasn_unor_id\nKB2,baru,Seksi,seksi,"),
        (Office, "kode,nama,jenis,kode_kantor_induk,kota,siasn_unor_id\nKC3,Baru,kankemenag,,,"),
        (Office, "kode,nama,jenis,kode_kantor_induk,kota,siasn_unor_id\nKB2,Dua,kankemenag,,,"),
    ):
        data = tablib.Dataset().load(text, format="csv")
        result = HR_RESOURCES[model](office_ids=scope).import_data(data, dry_run=True)
        assert result.has_validation_errors(), text
        unscoped = HR_RESOURCES[model](office_ids=None).import_data(data, dry_run=True)
        assert not unscoped.has_validation_errors(), text


# --- through the admin: upload, preview, confirm; who may -------------------------------


@pytest.fixture
def hr_client(client, org):
    admin_groups_ensure()
    user = factories.UserFactory(username="hr_ka1")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=HR_ADMIN_GROUP))
    factories.StaffMembershipFactory(user=user, unit=org["tu"], role="hr")
    client.force_login(user)
    return client


def _upload(text):
    return SimpleUploadedFile("pegawai.csv", text.encode(), content_type="text/csv")


def test_admin_import_previews_then_confirms(hr_client, org):
    url = reverse("admin:organization_employee_import")
    page = hr_client.get(url)
    assert page.status_code == 200
    new_row = f"198001012005011001,Pegawai Baru,,0812 1111 2222,III/a,,01,{ADMINISTRATION}"
    preview = hr_client.post(
        url, {"format": "1", "import_file": _upload(f"{HEADERS}\n{new_row}\n"), "resource": "0"}
    )
    html = preview.content.decode()
    assert preview.status_code == 200 and "Pegawai Baru" in html
    assert 'name="import_file_name"' in html  # the confirm form
    assert not Employee.objects.filter(nip="198001012005011001").exists()
    confirm = dict(preview.context["confirm_form"].initial)
    done = hr_client.post(reverse("admin:organization_employee_process_import"), confirm)
    assert done.status_code == 302
    created = Employee.objects.get(nip="198001012005011001")
    assert created.phone == "+6281211112222"
    assert created.holdings.get().position.name == "Pengadministrasi"


def test_admin_import_with_a_bad_row_offers_no_confirm(hr_client, org):
    bad = f"198013012005011001,NIP Salah,,,,,01,{ADMINISTRATION}"
    preview = hr_client.post(
        reverse("admin:organization_employee_import"),
        {"format": "1", "import_file": _upload(f"{HEADERS}\n{bad}\n"), "resource": "0"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    html = preview.content.decode()
    assert "tanggal lahir" in html and 'name="import_file_name"' not in html


def test_admin_export_is_scoped_and_import_is_hr_only(hr_client, client, org):
    listing = hr_client.get(reverse("admin:organization_employee_changelist"))
    names = {e.name for e in listing.context["cl"].result_list}
    assert names == {"Pegawai 1", "Pegawai 2", "Pegawai 3"}
    clerk = factories.UserFactory(username="admin_only")
    clerk.is_staff = True
    clerk.save()
    clerk.groups.add(Group.objects.get(name=HR_ADMIN_GROUP))
    factories.StaffMembershipFactory(user=clerk, unit=org["tu"], role="admin")
    client.force_login(clerk)
    assert client.get(reverse("admin:organization_employee_import")).status_code == 403
    assert client.get(reverse("admin:organization_employee_export")).status_code == 403
