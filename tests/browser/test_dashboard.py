"""The head of office's dashboard in Chromium at 1366 px and 360 px: every chart drawn
(Chart.js from static/vendor, under the site's Content-Security-Policy), each with its
table, the filters work, nothing overflows sideways, the downloads arrive."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_menu
from tests.dashboard.conftest import head_of, make_november, make_office, make_services, make_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHARTS = ["weekly", "timeliness", "per-service", "per-unit", "channels", "per-step",
          "median-steps", "whatsapp", "complaints", "ikm-trend"]  # fmt: skip


def _context(browser, live_server, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, base_url=live_server.url, locale="id-ID"
    )
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(60_000)  # a loaded CI machine (conftest.page)
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda m: (
            violations.append(m.text)
            if m.type == "error" and "favicon" not in (m.location or {}).get("url", "")
            else None
        ),
    )
    return context, page, violations


def _log_in(page, username):
    page.goto("/staf/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("rahasia-123")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()


def _drawn_pixels(page, selector) -> int:
    """Non-transparent pixels of the chart's canvas: 0 means nothing was drawn."""
    return page.evaluate(
        """(selector) => {
            const canvas = document.querySelector(selector + ' canvas');
            if (!canvas || !canvas.width) return 0;
            const context = canvas.getContext('2d');
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i]) n++;
            return n;
        }""",
        selector,
    )


def _fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1366, 360])
def test_charts_tables_filters_and_no_sideways_scroll(browser, live_server, width, tmp_path):
    office = make_office()
    units = make_units(office)
    make_november(office, units, make_services(units))
    head, _position = head_of(office)
    context, page, errors = _context(browser, live_server, width)
    _log_in(page, head.username)
    open_menu(page)
    page.get_by_role("link", name="Dasbor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor layanan")
    # the test data are in November 2026: pick that month with the period filter
    page.get_by_label("Dari", exact=True).fill("2026-11-01")
    page.get_by_label("Sampai", exact=True).fill("2026-11-30")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator(".scope-period")).to_have_text("1 Nov 2026 – 30 Nov 2026")
    for name in CHARTS:
        section = f".chart-card:has(table.{name})"
        expect(page.locator(f"{section} canvas[data-drawn='1']")).to_have_count(1)
        assert _drawn_pixels(page, section) > 200, name
        expect(page.locator(f"table.{name}")).to_be_visible()
        label = page.locator(f"{section} canvas").get_attribute("aria-label")
        assert label and "tabel" in label
    expect(page.locator("table.per-service tbody tr")).to_have_count(2)
    expect(page.locator(".fig-received")).to_have_text("6")
    expect(page.locator(".fig-ikm")).to_have_text("87,50")
    _fits(page, width)
    page.screenshot(path=tmp_path / f"dashboard-{width}.png", full_page=True)

    # the unit filter narrows every figure to Seksi PHU
    page.get_by_label("Unit", exact=True).select_option(label="Seksi PHU")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator(".scope-unit")).to_have_text("Seksi PHU")
    expect(page.locator(".fig-received")).to_have_text("3")
    expect(page.locator("table.per-unit tbody th")).to_have_text(["Seksi PHU"])
    expect(page.locator(".chart-card canvas[data-drawn='1']")).to_have_count(len(CHARTS))
    _fits(page, width)

    # a wrong period is said next to its field, nothing breaks
    page.get_by_label("Dari", exact=True).fill("2026-11-20")
    page.get_by_label("Sampai", exact=True).fill("2026-11-02")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("#e-sampai")).to_contain_text("Akhir periode sebelum awalnya")
    _fits(page, width)

    # downloads of the shown period
    page.get_by_label("Dari", exact=True).fill("2026-11-01")
    page.get_by_label("Sampai", exact=True).fill("2026-11-30")
    page.get_by_role("button", name="Tampilkan").click()
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Laporan cetak (PDF)").click()
    assert pdf.value.suggested_filename.endswith("2026-11-01-2026-11-30.pdf")
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Unduh Excel").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    # no script or style refused, nothing failed but the wrong period's own 400
    assert [e for e in errors if "400 (Bad Request)" not in e] == [], errors
    context.close()


def test_the_charts_are_drawn_under_the_content_security_policy(browser, live_server):
    head, _position = head_of(make_office())
    context, page, errors = _context(browser, live_server, 1366)
    _log_in(page, head.username)
    response = page.goto("/staf/dasbor/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("canvas[data-drawn='1']").first).to_be_visible()
    assert not errors, errors
    context.close()


def test_this_month_is_the_default(browser, live_server):
    head, _position = head_of(make_office())
    context, page, _errors = _context(browser, live_server, 1366)
    _log_in(page, head.username)
    page.goto("/staf/dasbor/")
    today = datetime.date.today()
    expect(page.get_by_label("Dari", exact=True)).to_have_value(today.replace(day=1).isoformat())
    context.close()
