"""The staff queue's counts kept in Redis (workflow/queue_cache.py) are never served
after a change of the unit's tasks has committed: readers stamp what they counted with
the unit versions they read first, and every task save bumps its unit's version at once
and again once its transaction commits."""

import pytest
from django.core.cache import cache

from tests.workflow.test_queue import new_request
from workflow import queue_cache, services
from workflow.models import Task
from workflow.queue_reach import QueueReach

pytestmark = pytest.mark.django_db

STALE, FRESH = {"mine": -1}, {"mine": 1}


def _counts(reach, value):
    return queue_cache.unit_counts(reach.units_part(), lambda part: dict(value))


@pytest.fixture
def reach(umrah, staff):
    new_request(umrah)
    return QueueReach.of(staff)


def test_an_entry_is_kept_until_a_task_of_the_unit_changes(reach, umrah, staff):
    assert _counts(reach, FRESH) == FRESH
    assert _counts(reach, STALE) == FRESH  # a hit: nothing counted
    services.task_claim(task=Task.objects.get(status="open"), user=staff)
    assert _counts(reach, STALE) == STALE  # the claim moved the unit's version on


def test_counts_taken_before_a_change_committed_are_not_served_after_it(
    reach, umrah, staff, django_capture_on_commit_callbacks
):
    """A reader that read the versions after the save but counted from a snapshot taken
    before its commit stores stale counts under the newest version; the bump at commit
    leaves them behind."""
    _counts(reach, FRESH)
    with django_capture_on_commit_callbacks() as at_commit:
        services.task_claim(task=Task.objects.get(status="open"), user=staff)
        assert _counts(reach, STALE) == STALE  # (counted "before the commit")
    assert at_commit  # the claim's own bumps, among the transaction's hooks
    for callback in at_commit:
        callback()
    assert _counts(reach, FRESH) == FRESH


def test_a_reader_stamps_its_counts_with_the_versions_it_read_before_counting(reach):
    """A change that commits (and bumps) while counts are being taken: those counts
    carry the older version and the next reader counts again."""
    part = reach.units_part()

    def counted_while_a_task_changed(_part):
        queue_cache._bump(part.units[0])
        return dict(STALE)

    assert queue_cache.unit_counts(part, counted_while_a_task_changed) == STALE
    assert _counts(reach, FRESH) == FRESH


def test_the_entry_depends_on_the_day_and_the_users_reach(reach, umrah, staff):
    _counts(reach, FRESH)
    part = reach.units_part()
    barred = QueueReach(**{**part.__dict__, "barred_steps": (umrah.steps.first().pk,)})
    assert queue_cache.unit_counts(barred, lambda p: dict(STALE)) == STALE


def test_without_redis_nothing_is_kept(reach, monkeypatch):
    """While Redis does not answer (get_many_shared: None) every read counts afresh."""
    monkeypatch.setattr(cache, "get_many_shared", lambda keys: None)
    assert _counts(reach, FRESH) == FRESH
    assert _counts(reach, STALE) == STALE
