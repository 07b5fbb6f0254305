"""The counter's day list in Chromium: today's walk-in registrations, a receipt reprinted
from the list, and the counter page fitting a phone and a desktop."""

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_queue_work import assert_no_horizontal_overflow
from tests.workflow.fixtures import umrah_data
from workflow.models import Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_day_list_and_reprint(page, login, umrah, clerk, tmp_path):
    made = [
        factories.submit_request(
            umrah,
            data=umrah_data(),
            applicant={"name": name, "phone": "0812-3456-7890"},
            channel=Channel.COUNTER,
            acting_user=clerk,
        )
        for name in ("Siti Aminah", "Budi Santoso")
    ]
    login("loket")
    page.goto("/staf/loket/")
    rows = page.locator("table.counter-today tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Budi Santoso")
    assert_no_horizontal_overflow(page, tmp_path, "counter")
    page.get_by_role("link", name=f"Cetak ulang tanda terima {made[0].registration_number}").click()
    expect(page).to_have_url(
        f"{page.base_url}/permohonan/{made[0].registration_number}/tanda-terima/"
    )
    expect(page.get_by_text(made[0].registration_number).first).to_be_visible()
