"""A staff member claims a task from /staf/, returns it with a note, and it leaves the queue."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow.models import ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_claim_then_return_with_a_note(page, login, umrah, staff):
    req = factories.submit_request(umrah, data=umrah_data())
    number = req.registration_number
    login("petugas_phu")

    page.goto("/staf/?scope=queue")
    row = page.locator(f'tr[data-number="{number}"]')
    expect(row).to_be_visible()
    assert_fits_a_phone(page)
    row.get_by_role("button", name="Ambil").click()

    # the claim leads to the request page, with the decision form
    expect(page).to_have_url(re.compile(rf"/staf/permohonan/{number}/$"))
    expect(page.get_by_text("Siti Aminah")).to_be_visible()
    assert_fits_a_phone(page)
    # no decision is chosen for you
    expect(page.get_by_label("Keputusan")).to_have_value("")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.get_by_label("Keputusan").select_option("return")
    page.get_by_role("button", name="Simpan keputusan").click()
    # no note: the form says so and nothing changed
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#id_note")).to_have_attribute("aria-invalid", "true")
    assert ServiceRequest.objects.get().status == "in_progress"

    page.get_by_label("Keputusan").select_option("return")
    page.get_by_label("Catatan untuk pemohon").fill("Foto KTP buram, mohon unggah ulang.")
    page.get_by_role("button", name="Simpan keputusan").click()

    expect(page.locator(".messages")).to_contain_text(number)
    # each save asked first, naming the decision and the request
    assert len(dialogs) == 2 and "Kembalikan untuk perbaikan" in dialogs[-1]
    assert number in dialogs[-1]
    expect(page.locator(f'tr[data-number="{number}"]')).to_have_count(0)
    page.goto("/staf/?scope=queue")
    expect(page.locator(f'tr[data-number="{number}"]')).to_have_count(0)
    expect(page.get_by_text("Antrean kosong.")).to_be_visible()
    req.refresh_from_db()
    assert req.status == "needs_info"
    assert req.events.last().note == "Foto KTP buram, mohon unggah ulang."


def assert_fits_a_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
