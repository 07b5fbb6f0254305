"""Settings are safe by default (CONTRACT.md section 2)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    """Run manage.py in a clean environment: only PATH and the given variables."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**extra):
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "layanan.kemenag-jambi.example",
        "DATABASE_URL": os.environ["ALUR_TEST_DATABASE_URL"],
        **extra,
    }


@pytest.mark.parametrize("secret", [None, ""])
def test_production_refuses_to_start_without_a_secret_key(secret):
    env = {} if secret is None else {"SECRET_KEY": secret}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_starts_without_a_secret_key():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_deploy_checks_are_clean_with_production_variables():
    env = production_env()
    assert len(env["SECRET_KEY"]) >= 50
    result = manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_checks_catch_debug_in_production():
    # The check above is not vacuous: the same run with DEBUG on is refused.
    result = manage("check", "--deploy", "--fail-level", "WARNING", **production_env(DEBUG="1"))
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_the_suite_runs_on_postgresql(db):
    assert connection.vendor == "postgresql"


def test_time_zone_and_languages():
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.USE_TZ
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _name in settings.LANGUAGES] == ["id", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE


def test_production_trusts_the_proxy_for_https():
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.django_db
def test_indonesian_by_default_english_on_request(client, api_client):
    default = client.get("/admin/login/").content.decode()
    english = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Administrasi Alur" in default
    assert "Alur administration" in english
    assert api_client.get("/api/v1/services/nothing/").json() == {"detail": "Data tidak ditemukan."}
    assert api_client.get("/api/v1/services/nothing/", HTTP_ACCEPT_LANGUAGE="en").json() == {
        "detail": "Not found."
    }


def test_the_openapi_schema_generates_without_warnings():
    from django.core.management import call_command

    # Raises (and prints the warnings) when a view or serializer cannot be described.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)
