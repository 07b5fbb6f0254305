"""One rate-limit mechanism (config.ratelimit) for every limit: counted in the shared
cache (real Redis here), failing open when the cache is down; one client-address rule."""

import os

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from twilio.request_validator import RequestValidator

from config import ratelimit
from config.clientip import client_address
from tests.hardening.conftest import post_submission
from tests.tracking.test_pages import post_application
from tests.twilio_standin import AUTH_TOKEN
from workflow.models import ServiceRequest

REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("ALUR_TEST_REDIS_URL", ""),
    }
}
DEAD_REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def frozen_clock(monkeypatch):
    now = [1_800_000_000.5]
    monkeypatch.setattr("config.ratelimit.time.time", lambda: now[0])
    return now


@pytest.fixture
def redis_cache():
    with override_settings(CACHES=REDIS_CACHE):
        cache.clear()
        yield
        cache.clear()


def test_counts_are_shared_through_redis_and_the_window_reopens(redis_cache, frozen_clock):
    waits = [ratelimit.hit("probe", "addr:1", rate="3/min") for _ in range(4)]
    assert waits[:3] == [None, None, None]
    assert waits[3] == pytest.approx(60 - (frozen_clock[0] % 60))
    # Another process (a fresh client on the same Redis) sees the same count.
    from django.core.cache import caches

    caches["default"].close()
    assert ratelimit.hit("probe", "addr:1", rate="3/min") is not None
    assert ratelimit.hit("probe", "addr:2", rate="3/min") is None  # per ident
    frozen_clock[0] += 60
    assert ratelimit.hit("probe", "addr:1", rate="3/min") is None


@override_settings(CACHES=DEAD_REDIS_CACHE)
def test_with_redis_down_limits_fail_open_instead_of_500(frozen_clock):
    assert [ratelimit.hit("probe", "x", rate="1/min") for _ in range(3)] == [None] * 3


@pytest.mark.django_db
@override_settings(CACHES=DEAD_REDIS_CACHE)
def test_with_redis_down_the_api_still_answers(api_client, umrah):
    for _ in range(3):
        assert api_client.get("/api/v1/track/KJB-2026-00001-A/").status_code in (400, 404)
    assert post_submission(api_client).status_code == 201


@pytest.mark.django_db
def test_web_form_submissions_are_rate_limited_per_address(
    client, settings, portal_service, frozen_clock
):
    settings.SUBMIT_RATE_LIMIT = "3/min"
    codes = [post_application(client, portal_service).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert ServiceRequest.objects.count() == 3
    response = post_application(client, portal_service)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "Terlalu banyak" in response.content.decode() or "Too many" in response.content.decode()


@pytest.mark.django_db
def test_page_and_api_submissions_count_together(
    client, api_client, settings, portal_service, frozen_clock
):
    settings.SUBMIT_RATE_LIMIT = "2/min"
    assert post_application(client, portal_service).status_code == 302
    assert post_application(client, portal_service).status_code == 302
    response = api_client.post("/api/v1/requests/", {}, format="json")
    assert response.status_code == 429
    assert "Retry-After" in response


def test_a_client_sent_forwarded_for_is_ignored_without_our_proxy(settings):
    settings.NUM_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "203.0.113.9"


def test_behind_the_shipped_nginx_the_address_nginx_saw_counts(settings):
    settings.NUM_PROXIES = 1
    # nginx appends $remote_addr to whatever the client sent ($proxy_add_x_forwarded_for).
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7"
    )
    assert client_address(request) == "198.51.100.7"


def test_a_forged_forwarded_for_cannot_reset_the_track_limit(client, settings, db, frozen_clock):
    settings.TRACK_RATE_LIMIT = "2/min"
    settings.NUM_PROXIES = 1
    codes = [
        client.get(
            "/api/v1/track/KJB-2026-00001-A/",
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        ).status_code
        for i in range(3)
    ]
    assert codes[2] == 429


def test_a_garbage_forwarded_for_falls_back_to_the_proxy_address(settings):
    settings.NUM_PROXIES = 1
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    assert client_address(request) == "127.0.0.1"


@pytest.mark.django_db
def test_whatsapp_commands_per_sender_use_the_same_mechanism(client, settings, frozen_clock):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.PUBLIC_BASE_URL = "https://alur.example.go.id"
    settings.WHATSAPP_INBOUND_RATE_LIMIT = "2/min"
    params = {"From": "whatsapp:+6281234567890", "Body": "HALO"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        "https://alur.example.go.id/webhooks/twilio/inbound/", params
    )
    replies = [
        client.post("/webhooks/twilio/inbound/", params, headers={"X-Twilio-Signature": signature})
        for _ in range(3)
    ]
    assert [r.status_code for r in replies] == [200, 200, 200]
    assert ["<Message>" in r.content.decode() for r in replies] == [True, True, False]
