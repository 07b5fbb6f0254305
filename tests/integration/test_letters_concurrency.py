"""Letter numbers and survey responses under concurrent actors, on the real PostgreSQL with
real threads (each its own connection)."""

import pytest
from django.core.cache import cache

from config.exceptions import Conflict
from documents import services as documents
from documents.models import IssuedDocument
from feedback import services as feedback
from feedback.models import SurveyResponse
from organization.models import StaffMembership
from tests import factories
from tests.documents.fixtures import at_result_step
from tests.integration.test_request_journey_concurrency import run_together
from workflow.services import task_complete

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


def test_two_letters_at_once_get_consecutive_numbers(
    umrah, staff, tu_staff, letter_template, signing_keys
):
    other = factories.UserFactory(username="petugas_tu2")
    StaffMembership.objects.create(user=other, unit=tu_staff.memberships.get().unit, role="staff")
    _a, task_a = at_result_step(umrah, staff, tu_staff)
    _b, task_b = at_result_step(umrah, staff, tu_staff)
    results = run_together(
        lambda: documents.result_letter_issue(task=task_a, user=tu_staff),
        lambda: documents.result_letter_issue(task=task_b, user=other),
    )
    assert all(isinstance(r, IssuedDocument) for r in results), results
    sequences = sorted(r.letter_number.split("/")[0] for r in results)
    assert sequences == ["B-0001", "B-0002"]


def test_the_same_task_signed_twice_at_once_issues_one_letter(
    umrah, staff, tu_staff, letter_template, signing_keys
):
    _req, task = at_result_step(umrah, staff, tu_staff)
    results = run_together(
        lambda: documents.result_letter_issue(task=task, user=tu_staff),
        lambda: documents.result_letter_issue(task=task, user=tu_staff),
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "IssuedDocument"], results
    assert IssuedDocument.objects.count() == 1
    assert IssuedDocument.objects.get().letter_number.startswith("B-0001/")


def test_double_submitted_survey_is_recorded_once(umrah, staff, tu_staff):
    req, task = at_result_step(umrah, staff, tu_staff)
    task_complete(task=task, user=tu_staff, decision="approve", result_file=factories.pdf_upload())
    req.refresh_from_db()
    answers = {f"u{i}": 4 for i in range(1, 10)}
    results = run_together(
        lambda: feedback.survey_submit(request=req, answers=answers),
        lambda: feedback.survey_submit(request=req, answers=answers),
    )
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    assert SurveyResponse.objects.count() == 1
