"""Logins, tokens, headers and private links (issue #10)."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from twilio.request_validator import RequestValidator

from notifications.models import Message
from tests import factories
from tests.config.test_settings import manage, production_env
from tests.tracking.test_pages import form_token, post_application
from tests.twilio_standin import AUTH_TOKEN
from workflow.models import ServiceRequest

pytestmark = pytest.mark.django_db
PASSWORD = "benar-sekali-2026"


@pytest.fixture
def officer(db):
    user = factories.UserFactory(username="petugas", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


# --- login lockout (django-axes) ---------------------------------------------------------


@pytest.mark.parametrize("path", ["/staf/masuk/", "/admin/login/"])
def test_many_wrong_passwords_lock_the_account_even_against_the_right_one(path, officer, settings):
    settings.AXES_FAILURE_LIMIT = 5
    client = Client(REMOTE_ADDR="198.51.100.20")
    for _ in range(5):
        response = client.post(path, {"username": "petugas", "password": "salah"})
        assert response.status_code in (200, 429)
    response = client.post(path, {"username": "petugas", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60
    assert "_auth_user_id" not in client.session
    # From another address the account stays locked (per username)...
    other = Client(REMOTE_ADDR="198.51.100.21")
    assert other.post(path, {"username": "petugas", "password": PASSWORD}).status_code == 429


def test_wrong_passwords_for_many_accounts_lock_the_address(officer, settings):
    settings.AXES_FAILURE_LIMIT = 5
    attacker = Client(REMOTE_ADDR="198.51.100.30")
    for i in range(5):
        attacker.post("/staf/masuk/", {"username": f"tebak{i}", "password": "x"})
    assert (
        attacker.post("/staf/masuk/", {"username": "petugas", "password": PASSWORD}).status_code
        == 429
    )
    # ...while the officer at another address still logs in.
    office = Client(REMOTE_ADDR="198.51.100.31")
    response = office.post("/staf/masuk/", {"username": "petugas", "password": PASSWORD})
    assert response.status_code == 302


def test_the_api_token_login_counts_towards_the_same_lockout(api_client, officer, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        api_client.post("/api/v1/auth/token/", {"username": "petugas", "password": "x"})
    response = api_client.post("/api/v1/auth/token/", {"username": "petugas", "password": PASSWORD})
    assert response.status_code == 429
    assert set(response.json()) == {"detail"}
    assert "Retry-After" in response


def test_the_lockout_wears_off(officer, settings):
    from axes.models import AccessAttempt

    settings.AXES_FAILURE_LIMIT = 2
    client = Client(REMOTE_ADDR="198.51.100.40")
    for _ in range(2):
        client.post("/staf/masuk/", {"username": "petugas", "password": "x"})
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = client.post("/staf/masuk/", {"username": "petugas", "password": PASSWORD})
    assert response.status_code == 302


# --- API tokens --------------------------------------------------------------------------


def test_api_tokens_expire(api_client, officer, settings):
    settings.API_TOKEN_TTL_HOURS = 12
    body = api_client.post(
        "/api/v1/auth/token/", {"username": "petugas", "password": PASSWORD}
    ).json()
    assert set(body) == {"token", "expires_at"}
    headers = {"Authorization": f"Token {body['token']}"}
    assert api_client.get("/api/v1/tasks/", headers=headers).status_code == 200
    # 13 hours later (the token's user is cached meanwhile: core/token_cache.py)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=13)):
        response = api_client.get("/api/v1/tasks/", headers=headers)
        assert response.status_code == 401
        assert not Token.objects.exists()
        fresh = api_client.post(
            "/api/v1/auth/token/", {"username": "petugas", "password": PASSWORD}
        )
    assert fresh.json()["token"] != body["token"]


def test_an_api_token_can_be_revoked(api_client, officer):
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "petugas", "password": PASSWORD}
    ).json()["token"]
    headers = {"Authorization": f"Token {token}"}
    assert api_client.delete("/api/v1/auth/token/", headers=headers).status_code == 204
    assert api_client.get("/api/v1/tasks/", headers=headers).status_code == 401


# --- headers -----------------------------------------------------------------------------


def test_pages_and_api_carry_csp_nosniff_referrer_policy_and_no_store(client, api_client, umrah):
    for response in (
        client.get("/"),
        client.get("/cek-status/"),
        api_client.get("/api/v1/services/"),
        api_client.get("/api/v1/docs/"),
    ):
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"]


def test_personal_pages_are_not_stored_by_browsers_or_proxies(client, umrah):
    request = factories.submit_request(umrah)
    client.get(f"/permohonan/{request.registration_number}/?token={request.access_token}")
    response = client.get(f"/permohonan/{request.registration_number}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    detail = Client().get(
        f"/api/v1/requests/{request.registration_number}/",
        headers={"X-Access-Token": request.access_token},
    )
    assert "no-store" in detail["Cache-Control"]


def test_no_template_has_an_inline_script_or_handler_that_csp_would_block():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for template in root.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        text = template.read_text()
        # Handlers and styles inside an HTML tag (not template syntax such as
        # `{% blocktranslate online=... %}`), inline scripts, javascript: links.
        tag = r"<[a-zA-Z][^>]*"
        if re.search(
            rf"{tag}\son[a-z]+\s*=|<script(?![^>]*\bsrc=)|{tag}\sstyle=\"|javascript:", text
        ):
            offenders.append(str(template.relative_to(root)))
    assert offenders == []


# --- secret key --------------------------------------------------------------------------


@pytest.mark.parametrize("secret", ["x", "a" * 60, "django-insecure-" + "k9$Qw" * 10])
def test_production_refuses_to_start_with_a_weak_secret_key(secret):
    result = manage("check", **production_env(SECRET_KEY=secret))
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr


# --- WhatsApp replies --------------------------------------------------------------------


def test_control_characters_never_reach_the_twiml_reply(client, settings):
    from xml.etree import ElementTree  # noqa: S405 - our own answer, not untrusted data

    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.PUBLIC_BASE_URL = "https://alur.example.go.id"
    params = {"From": "whatsapp:+6281234567890", "Body": "STATUS KJB\x01\x1b-2026\x0b-00001"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        "https://alur.example.go.id/webhooks/twilio/inbound/", params
    )
    response = client.post(
        "/webhooks/twilio/inbound/", params, headers={"X-Twilio-Signature": signature}
    )
    assert response.status_code == 200
    ElementTree.fromstring(response.content)  # noqa: S314 - well-formed XML
    assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", response.content)


# --- private links -----------------------------------------------------------------------


def test_the_outbox_page_does_not_show_applicants_private_links(client, umrah, staff, supervisor):
    from workflow import services
    from workflow.models import Task

    request = factories.submit_request(umrah)
    task = Task.objects.get(request=request)
    services.task_claim(task=task, user=staff)
    services.task_complete(task=task, user=staff, decision="return", note="KTP buram")
    message = Message.objects.get(request=request, kind="returned")
    assert request.access_token in message.body  # the applicant's own WhatsApp has it
    client.force_login(supervisor)
    html = client.get("/staf/pesan/").content.decode()
    assert request.registration_number in html
    assert request.access_token not in html
    assert "token=••••••" in html


def test_a_copied_form_token_does_not_show_another_visitor_their_receipt(portal_service):
    visitor, stranger = Client(), Client()
    token = form_token(visitor, portal_service)
    first = post_application(visitor, portal_service, token=token)
    assert first.status_code == 302
    form_token(stranger, portal_service)  # the stranger has a browser session of their own
    copied = post_application(stranger, portal_service, token=token, applicant_name="Orang Lain")
    assert copied.status_code == 302
    assert copied["Location"] != first["Location"]
    victim = ServiceRequest.objects.get(applicant_name__startswith="Siti")
    receipt = stranger.get(copied["Location"]).content.decode()
    assert victim.access_token not in receipt
    assert stranger.get(first["Location"]).status_code == 404
    assert ServiceRequest.objects.count() == 2


@pytest.mark.parametrize("path", ["/staf/masuk/", "/admin/login/", "/api/v1/auth/token/"])
def test_a_username_too_long_for_the_lockout_table_is_refused_not_a_500(path, officer):
    """django-axes stores the username of a failed login in a 255-character column; a
    longer one posted to a login once ended in a database error."""
    client = Client(REMOTE_ADDR="198.51.100.40")
    response = client.post(path, {"username": "x" * 300, "password": "salah"})
    assert response.status_code in (200, 400)
    assert "_auth_user_id" not in client.session
