"""#13: the staff header of a head of office (every link: the overdue badge, dashboard,
counter; the language, the last login, the logout) is one line at 1366×768, and on a
360 px phone it folds into a menu whose every item is reachable."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from organization.models import StaffMembership
from tests.dashboard.conftest import head_of, make_office, make_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
USERNAME = "kepala_kantor_kjb"  # a long name: the logout button carries it
LINKS = ["Layanan", "Cek status", "Staf", "128 terlambat", "SKP", "Pengaduan", "Dasbor", "Loket"]


@pytest.fixture
def head(db):
    office = make_office()
    units = make_units(office)
    user, _position = head_of(office, username=USERNAME)
    StaffMembership.objects.create(user=user, unit=units["ptsp"], role="clerk")
    return user


def _open(browser, live_server, head, width, height):
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=live_server.url, locale="id-ID"
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    for _twice in range(2):  # the second login shows the first as the last login
        context.clear_cookies()
        page.goto("/staf/masuk/")
        page.locator("#id_username").fill(USERNAME)
        page.locator("#id_password").fill("rahasia-123")
        page.locator("form.form button[type=submit]").click()
        page.wait_for_load_state()
    # The widest badge, in the header's cache (after the queue page the login lands on
    # refreshed it from the real count).
    cache.set(f"workflow:overdue:{head.pk}", 128, 600)
    page.goto("/staf/dasbor/")
    return context, page


def _header_items(page):
    return [
        page.locator(".site-header .brand"),
        *(page.locator(".site-header nav").get_by_role("link", name=n, exact=True) for n in LINKS),
        page.locator("#lang-select"),
        page.locator(".site-header .last-login"),
        page.get_by_role("button", name=f"Keluar ({USERNAME})"),
    ]


def test_a_heads_header_is_one_line_at_1366(browser, live_server, head):
    context, page = _open(browser, live_server, head, 1366, 768)
    try:
        expect(page.locator(".site-header .last-login")).to_contain_text("Login terakhir")
        expect(page.locator(".menu-toggle")).to_be_hidden()
        boxes = []
        for item in _header_items(page):
            expect(item).to_be_visible()
            boxes.append(item.bounding_box())
        # one line: every item's vertical middle inside every other item's height
        middles = [b["y"] + b["height"] / 2 for b in boxes]
        tallest = max(b["height"] for b in boxes)
        assert max(middles) - min(middles) < tallest / 2, boxes
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 2 * tallest + 24, header  # not two rows
        assert all(b["x"] + b["width"] <= 1366 for b in boxes)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    finally:
        context.close()


def test_on_a_phone_the_header_folds_into_a_menu_with_every_item_reachable(
    browser, live_server, head
):
    context, page = _open(browser, live_server, head, 360, 740)
    try:
        toggle = page.get_by_role("button", name="Menu")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        header = page.locator(".site-header").bounding_box()
        assert header["height"] < 80  # folded: the brand and the button
        for item in _header_items(page)[1:]:
            expect(item).to_be_hidden()
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        for item in _header_items(page):
            expect(item).to_be_visible()
            box = item.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
            item.scroll_into_view_if_needed()
            assert item.is_enabled()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.keyboard.press("Escape")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(toggle).to_be_focused()
        toggle.click()
        page.locator(".site-header nav").get_by_role("link", name="Loket", exact=True).click()
        page.wait_for_load_state()
        assert page.url.endswith("/staf/loket/")
    finally:
        context.close()
