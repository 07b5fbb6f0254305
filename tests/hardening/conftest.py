"""Hardening tests: each named after what it prevents (issue #10)."""

import pytest

from tests.tracking.conftest import office, portal_service  # noqa: F401
from tests.workflow.fixtures import member, post_submission, submission, umrah_data  # noqa: F401


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
