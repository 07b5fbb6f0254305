import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_login_page_renders_at_phone_width(page):
    page.goto("/staf/masuk/")
    assert page.locator("#id_username").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
