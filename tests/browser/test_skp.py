"""Browser journey (headless Chromium, 360 px): an employee drafts and submits an SKP,
the PLT of the vacant superior position returns it with a note, and the employee reads
the note in the "Riwayat" tab."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from skp.models import Skp
from tests import factories
from tests.browser.conftest import open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(db):
    today = timezone.localdate()
    unit = factories.UnitFactory(name="Seksi Pendidikan Madrasah")
    head = factories.PositionFactory(unit=unit, name="Kepala Seksi Pendidikan Madrasah")
    staff = factories.PositionFactory(unit=unit, name="Pengelola Data Madrasah", superior=head)
    owner = factories.EmployeeFactory(name="Siti Rahmawati", user__username="siti")
    factories.PositionHoldingFactory(employee=owner, position=staff)
    # The head's former holder left; a PLT acts for the position today.
    factories.PositionHoldingFactory(
        position=head,
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=30),
    )
    plt = factories.EmployeeFactory(name="Rina Marlina", user__username="rina")
    factories.ActingAssignmentFactory(employee=plt, position=head)
    return owner, plt


def _logout(page):
    open_menu(page)
    page.locator("form.logout button").click()
    page.wait_for_load_state()


def _no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_employee_submits_plt_returns_employee_reads_the_note(page, login, people):
    year = timezone.localdate().year

    # The employee drafts: an RHK and its indicator, then submits.
    login("siti")
    page.goto("/staf/skp/")
    expect(page.locator(".last-login")).to_contain_text("Login terakhir")
    page.get_by_label("Tahun").fill(str(year))
    page.get_by_role("button", name="Buat draf").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"SKP {year}")

    page.locator("#add-rhk summary").click()
    rhk_text = page.get_by_role("textbox", name="Rencana hasil kerja (RHK)")
    rhk_text.fill("Tersusunnya data EMIS madrasah")
    page.get_by_role("button", name="Tambahkan RHK").click()
    expect(page.locator(".messages")).to_contain_text("RHK telah ditambahkan")

    rhk = page.locator("article.rhk").first
    rhk.locator("details.inline-form summary", has_text="Tambah indikator").click()
    form = rhk.locator("details.inline-form", has_text="Tambah indikator")
    form.get_by_label("Indikator").fill("Data EMIS diperbarui tiap triwulan")
    form.get_by_label("Target").fill("4")
    form.get_by_label("Satuan").fill("laporan")
    form.get_by_label("Aspek").select_option("quantity")
    form.get_by_role("button", name="Tambahkan indikator").click()
    expect(page.locator("article.rhk").first).to_contain_text("Data EMIS diperbarui tiap triwulan")
    _no_horizontal_scroll(page)

    page.get_by_role("button", name="Ajukan ke pejabat penilai").click()
    expect(page.locator("#skp-status")).to_have_text("Diajukan")
    _logout(page)

    # The PLT of the superior position sees it, labelled, and returns it with a note.
    login("rina")
    page.goto("/staf/skp/tinjau/")
    expect(page.locator("main")).to_contain_text("Plt. Kepala Seksi Pendidikan Madrasah")
    _no_horizontal_scroll(page)
    page.get_by_role("link", name="Siti Rahmawati").click()
    page.get_by_label("Catatan untuk pegawai").fill("Target kuantitas perlu dinaikkan menjadi 12.")
    page.get_by_role("button", name="Kembalikan untuk perbaikan").click()
    expect(page.locator("#skp-status")).to_have_text("Dikembalikan untuk perbaikan")
    _logout(page)

    # The employee reads the note in the history tab.
    login("siti")
    page.goto("/staf/skp/")
    page.get_by_role("link", name=f"Buka SKP {year}").click()
    # where the owner lands, before any tab: the note that sent it back
    expect(page.locator(".return-note")).to_contain_text(
        "Target kuantitas perlu dinaikkan menjadi 12."
    )
    history_tab = page.get_by_role("tab", name="Riwayat")
    history_tab.click()
    expect(history_tab).to_have_attribute("aria-selected", "true")
    # the selected tab's count badge is readable (WCAG AA: 4.5:1), not white on grey
    assert _contrast(history_tab.locator(".badge")) >= 4.5
    panel = page.get_by_role("tabpanel", name="Riwayat")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("Target kuantitas perlu dinaikkan menjadi 12.")
    expect(panel).to_contain_text("sebagai Plt. Kepala Seksi Pendidikan Madrasah")
    expect(page.locator("#panel-isi")).to_be_hidden()
    _no_horizontal_scroll(page)
    assert Skp.objects.get().status == "returned"


def _contrast(locator) -> float:
    """Contrast ratio of an element's text colour on its own background colour."""
    fg, bg = locator.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
    )

    def luminance(css):
        r, g, b = (int(v) / 255 for v in css[css.index("(") + 1 : -1].split(",")[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
