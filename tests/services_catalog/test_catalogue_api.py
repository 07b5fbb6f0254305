"""GET /api/v1/services/ and /api/v1/services/{code}/ (CONTRACT.md section 3)."""

import pytest

from services_catalog.models import ServiceType
from tests import factories

pytestmark = pytest.mark.django_db

SERVICE_KEYS = {
    "code",
    "name",
    "description",
    "unit",
    "sla_working_days",
    "fee",
    "product",
    "requirements",
    "legal_basis",
    "fields",
    "documents",
    "steps",
}


def full_service(**kwargs):
    service = factories.ServiceTypeFactory(**kwargs)
    factories.FormFieldFactory(
        service=service, code="jenjang", label="Jenjang madrasah", type="choice", choices=["MI"]
    )
    factories.RequiredDocumentFactory(
        service=service, code="ktp", label="KTP pemohon", content_types=["image/png"]
    )
    factories.StepFactory(service=service, order=1, may_return=True)
    factories.StepFactory(service=service, order=2, produces_result=True)
    return service


def test_detail_has_exactly_the_contract_shape(api_client):
    service = full_service(fee=0, sla_working_days=3)
    response = api_client.get(f"/api/v1/services/{service.code}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == SERVICE_KEYS
    assert body["unit"] == {
        "code": service.unit.code,
        "name": service.unit.name,
        "office": {"code": service.unit.office.code, "name": service.unit.office.name},
    }
    assert body["sla_working_days"] == 3 and body["fee"] == 0
    assert body["fields"] == [
        {"code": "jenjang", "label": "Jenjang madrasah", "type": "choice",
         "required": True, "choices": ["MI"]}
    ]  # fmt: skip
    assert body["documents"] == [{
        "code": "ktp", "label": "KTP pemohon", "required": True, "content_types": ["image/png"],
        "max_bytes": 2 * 1024 * 1024,
    }]  # fmt: skip
    assert [(s["order"], s["may_return"], s["produces_result"]) for s in body["steps"]] == [
        (1, True, False),
        (2, False, True),
    ]
    assert set(body["steps"][0]) == {
        "order", "name", "sla_working_days", "may_return", "produces_result"
    }  # fmt: skip


def test_list_is_paginated_and_hides_inactive_services(api_client):
    active = full_service()
    hidden = full_service(is_active=False)
    response = api_client.get("/api/v1/services/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    assert [s["code"] for s in body["results"]] == [active.code]
    assert set(body["results"][0]) == SERVICE_KEYS
    assert api_client.get(f"/api/v1/services/{hidden.code}/").status_code == 404


def test_unknown_service_is_a_json_404(api_client):
    response = api_client.get("/api/v1/services/no-such-service/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("how_many", [1, 20])
def test_list_answers_in_a_constant_number_of_queries(
    api_client, django_assert_num_queries, how_many
):
    for _ in range(how_many):
        full_service()
    # count, services (+unit, office), fields, documents, steps
    with django_assert_num_queries(5):
        response = api_client.get("/api/v1/services/")
    assert response.json()["count"] == how_many
    assert ServiceType.objects.with_catalogue().count() == how_many


@pytest.mark.parametrize("how_many", [1, 20])
def test_detail_answers_in_a_constant_number_of_queries(
    api_client, django_assert_num_queries, how_many
):
    services = [full_service() for _ in range(how_many)]
    with django_assert_num_queries(4):
        response = api_client.get(f"/api/v1/services/{services[-1].code}/")
    assert response.status_code == 200


def test_the_api_needs_no_login_and_accepts_no_writes(api_client):
    service = full_service()
    assert api_client.post("/api/v1/services/", {}).status_code == 405
    assert api_client.delete(f"/api/v1/services/{service.code}/").status_code == 405


def test_schema_and_docs_are_served(api_client):
    schema = api_client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/services/{code}/" in schema.content
    docs = api_client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI comes from the sidecar package under /static/, not a CDN.
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


DRF = {"HTTP_ACCEPT": "text/plain, application/json"}  # negotiated by DRF's view


def answer(response):
    return response.status_code, list(response.headers.items()), response.content


@pytest.mark.parametrize("path", ["/api/v1/services/", "/api/v1/services/{code}/"])
def test_the_cached_json_answer_is_drfs_own_byte_for_byte(client, path):
    """A plain JSON GET is served from bytes DRF rendered once (config/plain_json.py);
    the answer is the one DRF's view gives, on a miss and on a hit."""
    path = path.format(code=full_service().code)
    full_service()
    miss, hit = answer(client.get(path)), answer(client.get(path))
    assert miss == hit == answer(client.get(path, **DRF))
    assert miss[0] == 200 and ("Allow", "GET, HEAD, OPTIONS") in miss[1]


def test_a_cached_catalogue_answer_reads_nothing_and_an_unknown_code_is_not_cached(
    client, django_assert_num_queries
):
    service = full_service()
    client.get("/api/v1/services/")
    client.get(f"/api/v1/services/{service.code}/")
    with django_assert_num_queries(0):
        assert client.get("/api/v1/services/").json()["count"] == 1
        assert client.get(f"/api/v1/services/{service.code}/").json()["code"] == service.code
    for _ in range(2):
        with django_assert_num_queries(1):  # looked up every time: not cached
            missing = client.get("/api/v1/services/tidak-ada/")
        assert missing.status_code == 404 and missing.json() == answer_of_drf_404(client)


def answer_of_drf_404(client):
    return client.get("/api/v1/services/tidak-ada/", **DRF).json()


def test_searches_and_later_pages_are_drfs_and_the_browsable_api_stays(client):
    full_service(name="Legalisasi ijazah")
    assert client.get("/api/v1/services/?q=legalisasi").json()["count"] == 1
    assert client.get("/api/v1/services/?page=9").status_code == 404
    page = client.get("/api/v1/services/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")


# --- the rate limit (CATALOGUE_RATE_LIMIT, per client address) --------------------------

# DRF's Throttled, as the track API answers it (60 s to wait at the frozen clock below).
THROTTLED = b'{"detail":"Permintaan ini telah dibatasi.'


@pytest.fixture
def frozen_clock(monkeypatch):
    """The rate-limit windows read this clock: 59.5 s before the minute's window ends."""
    monkeypatch.setattr("config.ratelimit.time.time", lambda: 1_800_000_000.5)


@pytest.fixture
def round_trips(monkeypatch):
    """The commands the cache's Redis client sent (a pipeline is one)."""
    import redis

    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
    return sent


def test_a_burst_gets_the_track_apis_429_on_list_search_and_detail(settings, frozen_clock):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    settings.CATALOGUE_RATE_LIMIT = "3/min"
    settings.TRACK_RATE_LIMIT = "1/min"
    code = full_service(name="Legalisasi ijazah").code
    # Cached list (plain JSON), a detail through DRF's negotiation, a search: one count.
    assert client.get("/api/v1/services/").status_code == 200
    assert client.get(f"/api/v1/services/{code}/", **DRF).status_code == 200
    assert client.get("/api/v1/services/?q=legalisasi").status_code == 200
    over = [
        client.get("/api/v1/services/"),
        client.get("/api/v1/services/", **DRF),
        client.get(f"/api/v1/services/{code}/"),
        client.get("/api/v1/services/?q=legalisasi"),
    ]
    client.get("/api/v1/track/KJB-2026-00001-A/")
    track = client.get("/api/v1/track/KJB-2026-00001-A/")
    assert track.status_code == 429 and track.content.startswith(THROTTLED)
    assert b" 60 " in track.content
    for response in over:
        assert (response.status_code, response.content) == (429, track.content)
        assert response["Retry-After"] == track["Retry-After"] == "60"
        assert response["Content-Type"] == "application/json"
    # The cached path answers with DRF's own headers, in DRF's order.
    assert list(over[0].headers.items()) == list(over[1].headers.items())


def test_a_catalogue_miss_counts_once_and_a_hit_is_one_round_trip(
    client, settings, frozen_clock, round_trips, django_assert_num_queries
):
    settings.CATALOGUE_RATE_LIMIT = "3/min"
    full_service()
    assert client.get("/api/v1/services/").status_code == 200  # built by DRF's view inside
    round_trips.clear()
    with django_assert_num_queries(0):
        assert client.get("/api/v1/services/").status_code == 200
    # The count and the catalogue's version in one pipeline; the answer is this process's.
    assert len(round_trips) == 1
    assert client.get("/api/v1/services/").status_code == 200
    assert client.get("/api/v1/services/").status_code == 429
