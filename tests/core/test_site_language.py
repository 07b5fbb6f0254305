"""The suite's `_site_language` fixture (tests/conftest.py): a test that leaves English
active does not change the language the next test on the same worker starts in. The two
tests run in this order, in one file, so on one xdist worker (`--dist loadfile`)."""

from django.conf import settings
from django.utils import translation


def test_a_test_that_switches_to_english_and_leaves_it_active():
    translation.activate("en")
    assert translation.get_language() == "en"


def test_the_next_test_starts_in_the_sites_language_again():
    assert settings.LANGUAGE_CODE == "id"
    assert translation.get_language() == "id"
    assert translation.gettext("Please correct the errors below.") != (
        "Please correct the errors below."
    )
