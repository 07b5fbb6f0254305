"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright; never a downloaded
browser. Pages are served by pytest-django's live_server on 127.0.0.1."""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; Django's ORM guard would
# refuse the test's own queries without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# One Chromium per test file: playwright's sync API keeps an event loop running in the
# main thread while it is open, and Django code that runs async_to_sync (the health checks)
# refuses to run beside it, so it must not outlive the browser tests on an xdist worker.
@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        raise pytest.UsageError("Chromium not found: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh phone-sized (360 px) page; `page.base_url` is the live server."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server.url, locale="id-ID"
    )
    context.set_default_timeout(10_000)
    # A navigation waits for the live server too: on a loaded 2-core CI machine the
    # session's first page (cold browser, cold URLconf and templates) takes over 10 s.
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def login(page):
    """login(user, password) through the staff login page."""

    def _login(username, password="rahasia-123"):
        page.goto("/staf/masuk/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.locator("form.form button[type=submit]").click()
        page.wait_for_load_state()

    return _login


def open_menu(page):
    """Unfold the header's menu where it is folded (a phone: templates/base.html,
    static/js/page.js); a no-op on a wide screen."""
    page.wait_for_load_state()  # page.js unhides the button once the page has loaded
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
