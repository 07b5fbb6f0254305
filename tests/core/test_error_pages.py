"""Alur's own 400/403/404/500/503 answers: Indonesian pages, JSON under /api/, no debug."""

import pytest
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]


def assert_ours(response, status, text):
    assert response.status_code == status
    body = response.content.decode()
    assert text in body, body[:2000]
    for foreign in ("Django Material", "viewflow", "Traceback", "a bug", "Django"):
        assert foreign not in body
    return body


@pytest.fixture
def client():
    return Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="id")


def test_404_page_is_alurs_own_in_bahasa_indonesia(client):
    body = assert_ours(client.get("/tidak-ada/"), 404, "Halaman tidak ditemukan")
    assert '<html lang="id">' in body
    assert "/static/css/alur.css" in body


def test_404_page_in_english_on_request(client):
    response = client.get("/tidak-ada/", HTTP_ACCEPT_LANGUAGE="en")
    assert_ours(response, 404, "Page not found")


def test_api_404_500_and_503_are_json(client):
    response = client.get("/api/v1/tidak-ada/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Data tidak ditemukan."}
    response = client.get("/api/v1/test-boom/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Terjadi galat di server."}
    response = client.get("/api/v1/test-db-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "detail" in response.json()


def test_500_page_is_self_contained_and_says_nothing_of_the_bug(client):
    body = assert_ours(client.get("/test-boom/"), 500, "Terjadi kesalahan di pihak kami")
    assert "<style>" in body and "/static/" not in body


def test_database_failure_mid_request_is_a_503_page_to_try_again(client):
    response = client.get("/test-db-gone/")
    body = assert_ours(response, 503, "Tidak ada yang tersimpan")
    assert response["Retry-After"] == "5"
    assert "server closed" not in body


def test_forged_form_gets_the_expired_form_page():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="id")
    response = client.post("/staf/masuk/", {"username": "x", "password": "y"})
    assert_ours(response, 403, "Formulir kedaluwarsa")


@override_settings(ALLOWED_HOSTS=["alur.example"])
def test_unknown_host_gets_the_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert_ours(response, 400, "Permintaan tidak dapat dipahami")
