"""The status page's answer and the status summary (tracking/answer_html.py) are, byte for
byte, what their templates (`_track_answer.html`, `_status_summary.html`, replaced by
them) rendered: pinned in both languages, every branch (tests/tracking/answer_sample.py)."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from tracking.answer_html import answer_html, status_summary_html

from .answer_sample import variants
from .conftest import stored_request

GOLDEN = Path(__file__).parent / "golden"


def golden(language) -> dict[str, str]:
    """Rendered by the templates before they were replaced: `<!-- name -->` then the HTML."""
    text = (GOLDEN / f"answer_{language}.html").read_text()
    parts = re.split(r"^<!-- (\w+) -->\n", text, flags=re.MULTILINE)[1:]
    pairs = zip(parts[::2], parts[1::2], strict=True)
    return {name: html.removesuffix("\n") for name, html in pairs}


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_answer_is_the_templates_html(language):
    expected = golden(language)
    assert set(expected) == set(variants())
    with translation.override(language):
        for name, track in variants().items():
            assert answer_html(track) == expected[name], name
            assert status_summary_html(track) in expected[name], name


@pytest.mark.django_db
def test_the_status_page_and_the_applicants_page_show_the_summary(portal_service):
    request = stored_request(portal_service, history=3)
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/cek-status/{request.registration_number}/")
    assert 'id="status-label"' in page.text and "Expected completion" in page.text
    assert "Check another number" in page.text
