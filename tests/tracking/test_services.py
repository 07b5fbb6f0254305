import datetime

import pytest
from django.utils import timezone

from tracking.models import FormSubmission
from tracking.services import form_submissions_prune
from tracking.tasks import prune_form_submissions

pytestmark = pytest.mark.django_db


def test_old_form_tokens_are_pruned_recent_ones_kept():
    old = FormSubmission.objects.create(token="old")
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    FormSubmission.objects.create(token="fresh")
    assert prune_form_submissions.delay().get() == 1
    assert list(FormSubmission.objects.values_list("token", flat=True)) == ["fresh"]
    assert form_submissions_prune() == 0


def test_the_prune_task_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["tracking-prune-form-submissions"]
    assert entry["task"] == prune_form_submissions.name


def _submission(service, **overrides):
    from tests import factories
    from tests.workflow.fixtures import umrah_data

    body = {
        "service": service,
        "applicant": {"name": "Siti Aminah", "phone": "0812-3456-7890"},
        "data": umrah_data(),
        "documents": {"ktp": factories.pdf_upload()},
        "channel": "online",
    }
    body.update(overrides)
    return body


def test_one_request_per_form_token_and_a_refused_attempt_frees_the_token(umrah):
    from config.exceptions import ApplicationError
    from tracking.services import application_submit_once
    from workflow.models import ServiceRequest

    with pytest.raises(ApplicationError):
        application_submit_once(form_token="t-1", **_submission(umrah, data={}))
    assert not FormSubmission.objects.exists() and not ServiceRequest.objects.exists()
    first = application_submit_once(form_token="t-1", **_submission(umrah))
    again = application_submit_once(form_token="t-1", **_submission(umrah))
    assert again == first and ServiceRequest.objects.count() == 1
    assert FormSubmission.objects.get(token="t-1").request == first
    other = application_submit_once(form_token="t-2", **_submission(umrah))
    assert other != first and ServiceRequest.objects.count() == 2
