"""/healthz/ and /readyz/ (CONTRACT.md section 6), with the real Redis stopped for 503."""

import pytest

from core import health
from tests import servers

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_without_login(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_database_and_migrations(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz/")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_readyz_names_unapplied_migrations(client, settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr(health.Migrations, "_applied", False)
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: [("app", False)]
    )
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["down"] == ["migrations"]


def test_readyz_names_redis_when_it_is_stopped(client, settings):
    settings.REDIS_URL = servers.redis.url
    assert client.get("/readyz/").json()["checks"]["redis"] == "ok"
    servers.redis.stop()
    try:
        response = client.get("/readyz/")
    finally:
        servers.redis.start()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["down"] == ["redis"]
    assert body["checks"] == {"database": "ok", "migrations": "ok", "redis": "down"}
    assert client.get("/readyz/").status_code == 200
