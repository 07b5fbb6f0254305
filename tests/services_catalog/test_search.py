"""Catalogue search that forgives (#13.5): synonyms, typos, ranking, on the suite's real
PostgreSQL (pg_trgm) and with the plain fallback; the page (`/?q=`) and the API
(`GET /api/v1/services/?q=`) answer from the same selector."""

import pytest
from django.db import connection

from services_catalog.demo import demo_load
from services_catalog.models import ServiceType
from services_catalog.selectors import search_terms, service_type_search
from tests import factories

pytestmark = pytest.mark.django_db

LEGALISIR = "legalisir-ijazah-madrasah"
PASPOR = "rekomendasi-paspor-haji-umrah"
ROHANIWAN = "rohaniwan-sumpah-jabatan"


@pytest.fixture
def demo_catalogue(settings):
    settings.DEBUG = True
    demo_load()
    assert connection.vendor == "postgresql"  # the suite's real server, not a fallback


def codes(query):
    return [s.code for s in service_type_search(ServiceType.objects.active(), query=query)]


def test_the_trigram_extension_and_gin_index_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() is not None
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'services_catalog_servicetype'"
            " AND indexdef LIKE '%%gin_trgm_ops%%'"
        )
        (definition,) = cursor.fetchone()
    assert "USING gin (search_text gin_trgm_ops)" in definition


def test_synonyms_typos_and_prefixes_find_the_service(demo_catalogue):
    # Synonyms the admin added on the service (demo catalogue): ijasah, legalisasi.
    for query in ["ijasah", "legalisasi", "Legalisasi Ijasah", "legalisir", "ijazah"]:
        assert codes(query)[0] == LEGALISIR, query
    for query, expected in [
        ("legalisr ijazh", LEGALISIR),  # two typos
        ("rekomendsi pasport", PASPOR),
        ("rohaniawan", ROHANIWAN),
        ("sumpah jabtan", ROHANIWAN),
        ("pndaftaran nikah", "nikah-di-luar-kua"),
        ("legal", LEGALISIR),  # a word prefix
        ("pasp", PASPOR),
    ]:
        assert codes(query)[0] == expected, query
    assert codes("qwxzv") == []
    assert codes("kendaraan bermotor") == []
    assert codes("mobil") == []


def test_a_name_match_ranks_above_a_description_match():
    in_description = factories.ServiceTypeFactory(
        name="Rekomendasi Bantuan", description="Untuk lulusan yang ijazahnya hilang."
    )
    in_name = factories.ServiceTypeFactory(name="Legalisir Ijazah", display_order=9)
    factories.ServiceTypeFactory(name="Izin Operasional", description="Sekolah swasta.")
    assert codes("ijazah") == [in_name.code, in_description.code]


def test_synonyms_are_part_of_the_saved_service():
    service = factories.ServiceTypeFactory(name="Rekomendasi Umrah")
    assert codes("umroh") == [service.code]  # one letter off: trigram
    assert codes("paspor") == []
    service.synonyms = "paspor, passport"
    service.save()
    assert codes("paspor") == [service.code]


def test_an_empty_or_symbol_only_query_changes_nothing():
    factories.ServiceTypeFactory.create_batch(2)
    assert len(codes("")) == 2 and len(codes("  !!! ")) == 2
    assert search_terms("a" * 500) == []  # one 100-letter "word": longer than any word
    assert search_terms("Ijasah, IJASAH legalisasi") == ["ijasah", "legalisasi"]


def test_the_fallback_search_without_postgresql(monkeypatch):
    """SQLite in development: substring per word, name and synonym matches first."""
    described = factories.ServiceTypeFactory(name="Rekomendasi", description="ijazah hilang")
    named = factories.ServiceTypeFactory(name="Surat", synonyms="ijasah", display_order=5)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    assert codes("ijasah") == [named.code]
    assert codes("IJAZAH") == [described.code]
    described.synonyms = "ijasah"
    described.save()
    assert codes("ijasah") == [described.code, named.code]  # display order breaks ties


def test_the_page_shows_ranked_results(client, demo_catalogue):
    html = client.get("/", {"q": "legalisasi ijasah"}).content.decode()
    assert "Legalisir Ijazah Madrasah" in html
    assert "Rekomendasi Pembuatan Paspor" not in html
    assert 'class="service-list search-results"' in html
    html = client.get("/", {"q": "qwxzv"}).content.decode()
    assert "Tidak ada layanan" in html or "No service matches" in html


def test_the_api_searches_with_q(api_client, demo_catalogue):
    body = api_client.get("/api/v1/services/", {"q": "ijasah"}).json()
    assert body["results"][0]["code"] == LEGALISIR
    assert all(set(r) >= {"code", "name", "steps"} for r in body["results"])
    assert api_client.get("/api/v1/services/", {"q": "qwxzv"}).json()["count"] == 0
    everything = api_client.get("/api/v1/services/").json()["count"]
    assert everything == ServiceType.objects.public().count()  # internal services are never listed


def test_api_searches_are_not_cached(api_client):
    service = factories.ServiceTypeFactory(name="Legalisir Ijazah")
    assert api_client.get("/api/v1/services/", {"q": "ijazah"}).json()["count"] == 1
    # A raw update sends no signal, so only an uncached answer can see it.
    ServiceType.objects.filter(pk=service.pk).update(name="Izin Operasional")
    assert api_client.get("/api/v1/services/", {"q": "ijazah"}).json()["count"] == 0


@pytest.mark.parametrize("how_many", [1, 25])
def test_search_query_count_does_not_grow(api_client, client, django_assert_num_queries, how_many):
    for i in range(how_many):
        service = factories.ServiceTypeFactory(name=f"Legalisir Ijazah {i}", synonyms="ijasah")
        factories.FormFieldFactory(service=service)
        factories.StepFactory(service=service)
    with django_assert_num_queries(5):  # count, page, fields, documents, steps
        body = api_client.get("/api/v1/services/", {"q": "ijasah"}).json()
    assert body["count"] == how_many
    with django_assert_num_queries(1):
        assert client.get("/", {"q": "ijasah"}).status_code == 200
