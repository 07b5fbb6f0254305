"""A submission reads its catalogue entry from this process's copy (workflow.catalogue_copy),
never a stale one: a save in this process drops it at once, a change committed elsewhere
is seen once the catalogue version is bumped, and with Redis down the database is read."""

import json

import pytest
from django.core.cache import cache

from core import process_copy
from services_catalog.cache import VERSION_KEY
from services_catalog.models import ServiceType
from tests.workflow.fixtures import submission

pytestmark = pytest.mark.django_db


def _submit(api_client):
    body = json.dumps(submission())
    return api_client.post("/api/v1/requests/", body, content_type="application/json")


@pytest.fixture
def umrah_json(umrah):
    umrah.documents.update(required=False)
    return umrah


def test_a_service_closed_in_this_process_refuses_the_next_submission(api_client, umrah_json):
    assert _submit(api_client).status_code == 201
    umrah_json.is_active = False
    umrah_json.save()
    response = _submit(api_client)
    assert response.status_code == 400 and "service" in response.json()


def test_a_change_committed_elsewhere_is_seen_once_the_version_moves(api_client, umrah_json):
    assert _submit(api_client).status_code == 201
    # Another process closes the service: the rows change, no signal reaches this one.
    ServiceType.objects.filter(pk=umrah_json.pk).update(is_active=False)
    assert _submit(api_client).status_code == 201  # the copy, until the version moves
    process_copy.bump(VERSION_KEY)  # what services_catalog.cache does after the commit
    assert _submit(api_client).status_code == 400


def test_a_vanished_version_reads_the_catalogue_again(api_client, umrah_json):
    assert _submit(api_client).status_code == 201
    ServiceType.objects.filter(pk=umrah_json.pk).update(is_active=False)
    cache.clear()  # Redis flushed or restarted: the version starts again from the clock
    assert _submit(api_client).status_code == 400


def test_with_redis_down_every_submission_reads_the_catalogue(api_client, umrah_json, monkeypatch):
    monkeypatch.setattr(cache, "get_many_shared", lambda keys, version=None: None)
    assert _submit(api_client).status_code == 201
    ServiceType.objects.filter(pk=umrah_json.pk).update(is_active=False)
    assert _submit(api_client).status_code == 400
