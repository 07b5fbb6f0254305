"""The timeline's HTML (tracking/timeline_html.py) is, byte for byte, what its template
(`_timeline.html`, replaced by it) rendered: pinned in both languages, every branch."""

from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from tracking.selectors import public_status
from tracking.timeline_html import timeline_html

from .conftest import stored_request
from .timeline_sample import sample

GOLDEN = Path(__file__).parent / "golden"


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_timeline_is_the_templates_html(language):
    # Rendered by the template before it was replaced (tests/tracking/golden/).
    expected = (GOLDEN / f"timeline_{language}.html").read_text()
    with translation.override(language):
        assert timeline_html(sample()) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["id", "en"])
def test_the_status_page_shows_it(portal_service, language):
    request = stored_request(portal_service, history=4)
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get(f"/cek-status/{request.registration_number}/")
    with translation.override(language):
        timeline = timeline_html(public_status(request.registration_key))
    assert f'<div class="grid two">{timeline}</div>' in page.text
    assert ("Riwayat" if language == "id" else "History") in timeline
