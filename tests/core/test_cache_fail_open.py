"""The cache (and so every rate limit on it) fails open with the real Redis stopped:
a warning, this process's memory for a few seconds, never an exception."""

import logging
import os
import time

import pytest
import redis as redis_lib
from django.core.cache import caches
from django.test import override_settings

from core.cache import FailOpenRedisCache
from tests import factories, servers

pytestmark = pytest.mark.django_db


def redis_caches(retry_after=0.3):
    return {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            # The suite's Redis (tests/servers.py), read at import: `make warm` collects
            # with an address given and no server started.
            "LOCATION": os.environ["ALUR_TEST_REDIS_URL"],
            "OPTIONS": {
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
                "FAIL_OPEN_SECONDS": retry_after,
            },
        }
    }


@pytest.fixture
def redis_down():
    servers.redis.stop()
    try:
        yield
    finally:
        servers.redis.start()


def test_every_operation_survives_redis_down_and_returns_once_it_is_back(caplog):
    cache = FailOpenRedisCache(servers.redis.url, {"OPTIONS": {"FAIL_OPEN_SECONDS": 0.3}})
    raw = redis_lib.Redis.from_url(servers.redis.url)
    cache.set("k", 1)
    assert raw.exists(cache.make_key("k"))  # really in Redis
    servers.redis.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="core.cache"):
            assert cache.get("k", "fallback") == "fallback"
            assert cache.add("n", 0, 60)
            assert cache.incr("n") == 1
            assert cache.incr("n") == 2
            cache.set_many({"a": 1, "b": 2})
            assert cache.get_many(["a", "b"]) == {"a": 1, "b": 2}
            assert cache.has_key("a")
            cache.touch("a", 10)
            cache.delete("a")
            cache.delete_many(["b"])
            assert cache.get_or_set("c", 3) == 3
            time.sleep(0.35)
            assert cache.get("n") == 2  # Redis tried again, still down: local again
        warnings = [r for r in caplog.records if "Redis unavailable" in r.getMessage()]
        assert len(warnings) == 1  # one warning per outage, not per call
    finally:
        servers.redis.start()
    time.sleep(0.35)
    cache.set("after", 4)
    assert raw.exists(cache.make_key("after"))
    cache.clear()


@override_settings(CACHES=redis_caches(), TRACK_RATE_LIMIT="3/min")
def test_public_paths_answer_with_redis_stopped_and_limits_still_hold(
    client, api_client, redis_down
):
    caches["default"].clear()
    number = "KJB-2026-00001"  # unknown; the lookup still passes the throttle first
    statuses = [client.get(f"/api/v1/track/{number}/").status_code for _ in range(3)]
    assert all(s in (400, 404) for s in statuses), statuses
    assert client.get(f"/api/v1/track/{number}/").status_code == 429  # local counter
    assert client.get("/").status_code == 200
    assert client.get("/cek-status/").status_code == 200


@override_settings(CACHES=redis_caches())
def test_submission_and_logins_answer_with_redis_stopped(
    api_client, client, service_with_steps, redis_down
):
    response = api_client.post(
        "/api/v1/requests/",
        {
            "service": service_with_steps.code,
            "applicant": {"name": "Ahmad", "phone": "081234567891"},
            "data": {"purpose": "Umrah"},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    number = response.json()["registration_number"]
    assert client.get(f"/cek-status/{number}/").status_code == 200
    assert api_client.get(f"/api/v1/track/{number}/").status_code == 200
    user = factories.UserFactory(username="petugas")
    user.set_password("rahasia-123")
    user.save()
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "petugas", "password": "rahasia-123"}
    )
    assert response.status_code == 200 and response.json()["token"]
    response = client.post("/staf/masuk/", {"username": "petugas", "password": "rahasia-123"})
    assert response.status_code == 302


def test_a_counter_is_one_round_trip_that_expires_and_fails_open():
    """`count` (every rate limit): INCR with the window's expiry set once, in Redis; the
    local memory while Redis is down."""
    cache = FailOpenRedisCache(servers.redis.url, {"OPTIONS": {"FAIL_OPEN_SECONDS": 0.3}})
    raw = redis_lib.Redis.from_url(servers.redis.url)
    key = cache.make_key("window")
    raw.delete(key)
    assert [cache.count("window", 30) for _ in range(3)] == [1, 2, 3]
    assert 0 < raw.ttl(key) <= 30  # a counter never outlives its window
    raw.expire(key, 5)
    cache.count("window", 30)
    assert raw.ttl(key) <= 5  # the expiry is the window's start, not renewed per hit
    servers.redis.stop()
    try:
        assert [cache.count("window", 30) for _ in range(2)] == [1, 2]
    finally:
        servers.redis.start()


def test_one_redis_client_serves_every_operation():
    # Django's client built a redis.Redis per operation; most of a cached lookup's CPU.
    cache = FailOpenRedisCache(servers.redis.url, {})
    remote = cache._cache._remote
    assert remote.get_client(write=True) is remote.get_client(write=False)


def test_a_version_bump_is_one_round_trip_and_restarts_from_where_it_is_told():
    """`bump` (the staff queue's unit versions): INCR; a counter that is missing starts
    at `start` (the caller passes the clock, so a restarted counter never meets a number
    it had before); while Redis is down, the local memory, never an exception."""
    cache = FailOpenRedisCache(servers.redis.url, {"OPTIONS": {"FAIL_OPEN_SECONDS": 0.3}})
    raw = redis_lib.Redis.from_url(servers.redis.url)
    key = cache.make_key("unit-version")
    raw.delete(key)
    assert cache.bump("unit-version", 1000, 60) == 1001
    assert cache.bump("unit-version", 5, 60) == 1002  # `start` only for a missing counter
    assert 0 < raw.ttl(key) <= 60
    servers.redis.stop()
    try:
        assert cache.bump("unit-version", 7, 60) == 8
    finally:
        servers.redis.start()
    raw.delete(key)


def test_a_bump_with_a_value_beside_it_is_one_round_trip_and_fails_open():
    """`bump_and_set` (a public answer's version and the transition's event id, after
    each transition): both written in Redis, the value readable by `get`, both with the
    expiry; the local memory while Redis is down."""
    cache = FailOpenRedisCache(servers.redis.url, {"OPTIONS": {"FAIL_OPEN_SECONDS": 0.3}})
    raw = redis_lib.Redis.from_url(servers.redis.url)
    keys = [cache.make_key("answer-version"), cache.make_key("answer-event")]
    raw.delete(*keys)
    assert cache.bump_and_set("answer-version", 0, 60, "answer-event", 41) == 1
    assert cache.bump_and_set("answer-version", 0, 60, "answer-event", 42) == 2
    assert cache.get_many(["answer-version", "answer-event"]) == {
        "answer-version": 2,
        "answer-event": 42,
    }
    assert all(0 < raw.ttl(key) <= 60 for key in keys)
    servers.redis.stop()
    try:
        assert cache.bump_and_set("answer-version", 0, 60, "answer-event", 43) == 1
        assert cache.get("answer-event") == 43
    finally:
        servers.redis.start()
    raw.delete(*keys)


def test_shared_entries_are_read_and_written_in_redis_alone():
    """`get_many_shared`/`set_shared` (entries that other processes invalidate): while
    Redis is down they answer None and keep nothing in this process's memory, where a
    version bumped by another process could never reach them."""
    cache = FailOpenRedisCache(servers.redis.url, {"OPTIONS": {"FAIL_OPEN_SECONDS": 0.3}})
    cache.set_shared("entry", ("stamp", 1), 60)
    cache.bump("version", 10, 60)
    assert cache.get_many_shared(["entry", "version", "other"]) == {
        "entry": ("stamp", 1),
        "version": 11,
    }
    servers.redis.stop()
    try:
        assert cache.get_many_shared(["entry"]) is None
        cache.set_shared("entry", ("outage", 2), 60)  # not kept locally
        assert cache.get("entry") is None  # the local memory never saw it
        time.sleep(0.35)
        assert cache.get_many_shared(["entry"]) is None  # tried again: still down
    finally:
        servers.redis.start()
    time.sleep(0.35)
    cache.set_shared("entry", ("back", 3), 60)  # (a restarted Redis starts empty)
    assert cache.get_many_shared(["entry"]) == {"entry": ("back", 3)}
    cache.clear()
