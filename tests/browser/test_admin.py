"""An office administrator in the admin at 1366 px: the index in sections, the service
form (choices per line, size in MB, the time-limit warning, the citizen's preview), and
an HR administrator importing employees from a CSV through preview and confirm."""

import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from organization.admin_roles import HR_ADMIN_GROUP, OFFICE_ADMIN_GROUP, admin_groups_ensure
from organization.models import Employee
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wide(browser, live_server):
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, base_url=live_server.url, locale="id-ID"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _admin_user(username, group, unit, role):
    admin_groups_ensure()
    user = factories.UserFactory(username=username)
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=group))
    factories.StaffMembershipFactory(user=user, unit=unit, role=role)
    return user


def _login(page, username):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("rahasia-123")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"{page.url} is {width} px wide"


def test_office_admin_sees_the_sections_and_edits_a_service(wide, service_with_steps):
    service = service_with_steps
    factories.FormFieldFactory(
        service=service, code="jenjang", label="Jenjang", type="choice", choices=["MI", "MTs"],
        order=10_000,
    )  # fmt: skip
    factories.RequiredDocumentFactory(service=service, code="ktp", label="Scan KTP")
    _admin_user("admin_kantor", OFFICE_ADMIN_GROUP, service.unit, "admin")
    _login(wide, "admin_kantor")

    captions = wide.locator("#content-main caption").all_inner_texts()
    for section in ("LAYANAN", "ORGANISASI", "PEGAWAI & PLT", "PESAN"):
        assert any(c.strip().upper() == section for c in captions), captions
    assert not any("TEKNIS" in c.upper() or "WORKFLOW" in c.upper() for c in captions)
    _fits(wide)

    wide.get_by_role("link", name="Jenis layanan").first.click()
    wide.get_by_role("link", name=service.name).click()
    _fits(wide)
    choices = wide.locator("textarea[name$='-choices']").nth(2)
    expect(choices).to_have_value("MI\nMTs")
    choices.fill("MI\nMTs\nMA")
    wide.locator("input[name='documents-0-max_mb']").fill("1,5")
    wide.locator("#id_sla_working_days").fill("3")  # the steps take 2 + 2 days
    wide.locator("input[name='_continue']").click()
    expect(wide.locator(".messagelist .warning")).to_contain_text("4 hari kerja")
    service.refresh_from_db()
    assert service.fields.get(code="jenjang").choices == ["MI", "MTs", "MA"]
    assert service.documents.get().max_bytes == int(1.5 * 1024 * 1024)

    with wide.context.expect_page() as opened:
        wide.get_by_role("link", name="Pratinjau formulir pemohon").click()
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.locator("fieldset.preview")).to_have_attribute("disabled", "")
    expect(preview.get_by_role("button", name="Kirim permohonan")).to_be_disabled()
    expect(preview.get_by_label("Jenjang")).to_be_disabled()
    expect(preview.locator("select option", has_text="MA")).to_have_count(1)
    _fits(preview)


def test_hr_admin_imports_employees_with_a_preview(wide, tmp_path):
    office = factories.OfficeFactory(code="KA1")
    tu = factories.UnitFactory(office=office, code="tu", name="Subbagian TU")
    factories.PositionFactory(unit=tu, name="Pengadministrasi")
    _admin_user("hr_kantor", HR_ADMIN_GROUP, tu, "hr")
    sheet = tmp_path / "pegawai.csv"
    sheet.write_text(
        "nip,nama,email,telepon,golongan,tmt_golongan,kedudukan,"
        "jabatan_kantor,jabatan_unit,jabatan_nama,mulai_menjabat\n"
        "198001012005011001,Siti Rahma,,0812 1111 2222,III/a,2020-04-01,01,"
        "KA1,tu,Pengadministrasi,2024-01-02\n"
    )
    _login(wide, "hr_kantor")
    wide.goto("/admin/organization/employee/")
    wide.get_by_role("link", name="Impor").click()
    wide.locator("input[type=file]").set_input_files(str(sheet))
    wide.locator("select[name=format]").select_option(label="csv")
    wide.locator("input[type=submit]").click()
    expect(wide.locator("table.import-preview")).to_contain_text("Siti Rahma")
    expect(wide.locator("table.import-preview")).to_contain_text("Baru")
    assert not Employee.objects.filter(nip="198001012005011001").exists()
    _fits(wide)
    wide.get_by_role("button", name="Konfirmasi impor").click()
    expect(wide.locator(".messagelist")).to_contain_text("1 baru")
    employee = Employee.objects.get(nip="198001012005011001")
    assert employee.phone == "+6281211112222"
    assert employee.holdings.get().start_date == datetime.date(2024, 1, 2)
