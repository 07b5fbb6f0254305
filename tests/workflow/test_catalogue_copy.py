"""A submission reads its catalogue entry from this process's copy (workflow.catalogue_copy),
never a stale one: a save in this process drops it at once, a change committed elsewhere
is seen once the catalogue version is bumped, and with Redis down the database is read.
The staff queue's service filter reads its list the same way."""

import json
import re

import pytest
from django.core.cache import cache

from core import process_copy
from services_catalog.cache import VERSION_KEY
from services_catalog.models import ServiceType
from tests import factories
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


def _filter_services(client):
    page = client.get("/staf/?scope=all").content.decode()
    select = page.split('<select id="f-service" name="service">', 1)[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)"', select)[1:]  # after "All services"


def test_the_queue_filter_lists_the_services_worked_in_the_users_units(client, umrah, staff):
    client.force_login(staff)
    elsewhere = factories.ServiceTypeFactory(code="izin-lain", name="A izin lain")
    factories.StepFactory(service=elsewhere)  # a step in another unit only
    assert _filter_services(client) == ["rekomendasi-paspor-umrah"]
    # A step of it added to the user's unit here: the copy is dropped at once.
    factories.StepFactory(service=elsewhere, order=2, unit=umrah.unit)
    assert _filter_services(client) == ["izin-lain", "rekomendasi-paspor-umrah"]  # by name
    # Renamed by another process: seen once the version moves.
    ServiceType.objects.filter(pk=elsewhere.pk).update(name="Z izin lain")
    assert _filter_services(client) == ["izin-lain", "rekomendasi-paspor-umrah"]
    process_copy.bump(VERSION_KEY)
    assert _filter_services(client) == ["rekomendasi-paspor-umrah", "izin-lain"]
