"""The staff queue as a place to work: search, filters, bulk actions with the keyboard,
the correction boxes beside their labels, and the pages fitting a phone and a desktop."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 1366)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def submit(service, name, nik):
    return factories.submit_request(
        service,
        data=umrah_data(),
        applicant={"name": name, "phone": "0812-3456-7890", "nik": nik},
    )


def assert_no_horizontal_overflow(page, tmp_path, name):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{name} overflows at {width} px: {scroll} > {inner}"


def test_search_filter_and_bulk_claim_with_the_keyboard(page, login, umrah, staff, tmp_path):
    siti = submit(umrah, "Siti Aminah", "3273015508900001")
    budi = submit(umrah, "Budi Santoso", "1571024107850002")
    ahmad = submit(umrah, "Ahmad Siti Rahman", "1571010101010003")
    login("petugas_phu")
    page.goto("/staf/?scope=queue")
    expect(page.locator("tr.task")).to_have_count(3)
    assert_no_horizontal_overflow(page, tmp_path, "queue")

    # "/" jumps to the search; Enter searches
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.get_by_label("Cari", exact=True)).to_be_focused()
    page.keyboard.type("siti")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("tr.task")).to_have_count(2)
    expect(page.locator(f'tr[data-number="{budi.registration_number}"]')).to_have_count(0)
    expect(page.locator(".tab-list [aria-current=page] .count")).to_have_text("2")

    # tick all with the keyboard, claim the ticked ones
    page.get_by_label("Centang semua di halaman ini").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label(f"Centang {siti.registration_number}")).to_be_checked()
    expect(page.get_by_label(f"Centang {ahmad.registration_number}")).to_be_checked()
    page.get_by_role("button", name="Ambil yang dicentang").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Anda mengambil 2 tugas.")
    assert "q=siti" in page.url  # back where the search was
    expect(page.locator("tr.task")).to_have_count(0)
    assert set(Task.objects.filter(assigned_to=staff).values_list("request_id", flat=True)) == {
        siti.pk,
        ahmad.pk,
    }

    # the "mine" tab keeps the search; a filter narrows it
    page.locator(".tab-list a", has_text="Tugas saya").click()
    expect(page.locator("tr.task")).to_have_count(2)
    assert "q=siti" in page.url
    page.get_by_label("Kanal").select_option("counter")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.get_by_text("Tidak ada tugas yang cocok")).to_be_visible()


def test_supervisor_assigns_ticked_tasks(page, login, umrah, staff2, supervisor):
    first = submit(umrah, "Siti Aminah", "3273015508900001")
    second = submit(umrah, "Budi Santoso", "1571024107850002")
    login("kasi_phu")
    page.goto("/staf/?scope=all")
    page.get_by_label(f"Centang {first.registration_number}").check()
    page.get_by_label(f"Centang {second.registration_number}").check()
    page.locator("#bulk-user").select_option("petugas_phu2")
    page.get_by_role("button", name="Tugaskan yang dicentang").click()
    expect(page.locator(".messages")).to_contain_text("2 tugas ditugaskan kepada petugas_phu2.")
    expect(
        page.locator('tr.task td[data-label="Ditugaskan kepada"]', has_text="petugas_phu2")
    ).to_have_count(2)
    assert Task.objects.filter(assigned_to=staff2).count() == 2


def test_request_page_boxes_sit_by_their_labels(page, login, umrah, staff, tmp_path):
    req = submit(umrah, "Siti Aminah", "3273015508900001")
    login("petugas_phu")
    page.goto(f"/staf/permohonan/{req.registration_number}/")
    page.set_viewport_size({"width": 1366, "height": 800})
    for label in ("Nama PPIU", "KTP"):
        box = page.get_by_label(label, exact=True).and_(page.locator("[type=checkbox]"))
        checkbox = box.bounding_box()
        text = page.locator("label", has=box).bounding_box()
        # the box is at the start of its own label line, not floating mid-page
        assert checkbox["x"] - text["x"] < 10 and checkbox["width"] < 40
        assert abs((checkbox["y"] + checkbox["height"] / 2) - (text["y"] + text["height"] / 2)) < 12
    assert_no_horizontal_overflow(page, tmp_path, "request")
