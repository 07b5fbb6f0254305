"""Workflow tests: private media in a temporary directory, fresh rate limits."""

import pytest

from tests.workflow.fixtures import member, post_submission, submission, umrah_data  # noqa: F401


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Rate-limit counters live in the (process-wide) cache: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
