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
