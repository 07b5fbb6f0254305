"""The plain JSON lookup (config/plain_json.py, tracking/api.py) answers byte for byte as
DRF's view does, in one query on a miss and none on a hit, with the rate limit and the
cache read in one round trip to Redis."""

import re

import pytest
import redis
from django.test import Client

from tracking.api import TrackOutputSerializer, contract_data
from tracking.selectors import public_status
from workflow.models import RequestStatus

from .conftest import stored_request

pytestmark = pytest.mark.django_db

FAST = {}  # what apps, scripts and wrk send: no Accept (or */*, application/json)
DRF = {"HTTP_ACCEPT": "text/plain, application/json"}  # negotiated by DRF: JSON too


def url(number):
    return f"/api/v1/track/{number}/"


def answer(response):
    return response.status_code, list(response.headers.items()), response.content


@pytest.fixture
def round_trips(monkeypatch):
    """How many times the cache's Redis client sent commands (a pipeline is one)."""
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
    return sent


@pytest.mark.parametrize("how", [FAST, {"HTTP_ACCEPT": "*/*"}, {"HTTP_ACCEPT": "application/json"}])
def test_the_fast_lookup_answers_as_drf_does_for_a_miss_and_a_hit(portal_service, how):
    request = stored_request(portal_service, history=3)
    client = Client()
    fast_miss = answer(client.get(url(request.registration_number), **how))
    fast_hit = answer(client.get(url(request.registration_number), **how))
    drf_hit = answer(client.get(url(request.registration_number), **DRF))
    assert fast_miss == fast_hit == drf_hit
    assert fast_hit[0] == 200
    assert ("Allow", "GET, HEAD, OPTIONS") in fast_hit[1]


def test_the_fast_lookup_answers_a_drf_miss_alike_too(portal_service):
    request = stored_request(portal_service, history=2)
    client = Client()
    drf_miss = answer(client.get(url(request.registration_number), **DRF))
    assert drf_miss == answer(client.get(url(request.registration_number)))


@pytest.mark.parametrize(
    "number", ["KJB-2026-00001-X", "not a number", "KJB-2026-99999-" + "0"], ids=str
)
def test_errors_are_drfs_own(db, number):
    from workflow.numbers import format_number

    if number.endswith("-0"):  # a well-formed number nobody has: 404
        number = format_number(office_code="KJB", year=2026, sequence=99999)
    client = Client()
    fast, drf = answer(client.get(url(number))), answer(client.get(url(number), **DRF))
    assert fast == drf
    assert fast[0] in (400, 404)
    assert b'"detail"' in fast[2]


def test_the_rate_limit_answer_is_drfs_own_and_counts_page_api_and_both_paths(
    portal_service, settings
):
    settings.TRACK_RATE_LIMIT = "4/min"
    number = stored_request(portal_service).registration_number
    client = Client()
    assert client.get(url(number)).status_code == 200
    assert client.get(url(number), **DRF).status_code == 200
    assert client.get(f"/cek-status/{number}/").status_code == 200
    assert client.get(url("KJB-2026-00001-X")).status_code == 400  # counted too
    fast, drf = answer(client.get(url(number))), answer(client.get(url(number), **DRF))
    assert fast[0] == 429
    # Retry-After may tick down by a second between the two.
    assert [h for h in fast[1] if h[0] != "Retry-After"] == [
        h for h in drf[1] if h[0] != "Retry-After"
    ]
    assert fast[2].startswith(b'{"detail":"Permintaan ini telah dibatasi.')
    assert re.sub(rb"\d+", b"N", fast[2]) == re.sub(rb"\d+", b"N", drf[2])
    assert int(dict(fast[1])["Retry-After"]) >= 1
    assert client.get(url("KJB-2026-00001-X")).status_code == 429


def test_the_browsable_api_and_head_still_go_through_drf(portal_service):
    number = stored_request(portal_service).registration_number
    client = Client()
    page = client.get(url(number), HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert client.head(url(number)).status_code == 200
    assert client.options(url(number)).status_code == 200


@pytest.mark.parametrize(
    "status,step", [(RequestStatus.IN_PROGRESS, 2), (RequestStatus.COMPLETED, None)]
)
def test_contract_data_is_what_the_serializer_gives(portal_service, status, step):
    request = stored_request(portal_service, status=status, step_order=step, history=4)
    if status == RequestStatus.COMPLETED:
        request.completed_at = request.submitted_at.replace(microsecond=123456)
        request.save(update_fields=["completed_at"])
    found = public_status(request.registration_key)
    assert contract_data(found) == dict(TrackOutputSerializer(found.as_contract()).data)


def test_a_miss_is_one_query_and_a_hit_none(
    portal_service, django_assert_num_queries, round_trips, lookup_prepared
):
    number = stored_request(portal_service, history=5).registration_number
    client = Client()
    with django_assert_num_queries(1):
        assert client.get(url(number)).status_code == 200
    # The count and the cache read in one round trip, then the answer stored.
    assert len(round_trips) == 2
    round_trips.clear()
    with django_assert_num_queries(0):
        assert client.get(url(number)).status_code == 200
    assert len(round_trips) == 1


def test_an_unknown_number_is_one_query_and_not_cached(
    db, django_assert_num_queries, lookup_prepared
):
    from workflow.numbers import format_number

    number = format_number(office_code="KJB", year=2026, sequence=4242)
    client = Client()
    for _ in range(2):
        with django_assert_num_queries(1):
            assert client.get(url(number)).status_code == 404
