"""The SIASN client against a local stand-in HTTP server: both tokens, both headers,
`pns/data-utama/{nip}` fed into the same import path; renewal of refused tokens; off
when not configured; nothing but GETs to the API (SIASN is never written)."""

import json

import pytest
from django.core.management import CommandError, call_command

from personnel.client import SiasnClient, SiasnError
from personnel.models import ConsistencyIssue, SiasnImport, SiasnRecord
from personnel.services import siasn_fetch
from tests.personnel.conftest import bkn_people
from tests.personnel.siasn_standin import SiasnStandin

pytestmark = pytest.mark.django_db


@pytest.fixture
def standin(settings):
    server = SiasnStandin().start()
    settings.SIASN_API_BASE_URL = f"{server.url}/apisiasn/1.0"
    settings.SIASN_TOKEN_URL = f"{server.url}/oauth2/token"
    settings.SIASN_SSO_TOKEN_URL = f"{server.url}/sso/token"
    settings.SIASN_CONSUMER_KEY, settings.SIASN_CONSUMER_SECRET = "ck", "cs"
    settings.SIASN_SSO_CLIENT_ID = "kemenag"
    settings.SIASN_SSO_USERNAME, settings.SIASN_SSO_PASSWORD = "operator", "rahasia"
    yield server
    server.stop()


def test_fetch_sends_both_tokens_and_feeds_the_import(standin, office):
    for record in bkn_people(office)[:3]:
        standin.records[record["nipBaru"]] = record
    nips = [office.consistent.nip, office.mismatched.nip, office.on_leave.nip, "199001012015031001"]
    summary = siasn_fetch(nips=nips)
    assert summary["status"] == "done"
    assert (summary["created"], summary["errors"]) == (3, 1)
    assert "199001012015031001" in summary["error_rows"][0]["error"]
    assert SiasnImport.objects.get().source == "api"
    assert SiasnRecord.objects.get(nip=office.mismatched.nip).golongan_id == "33"
    assert ConsistencyIssue.objects.filter(
        nip=office.mismatched.nip, field="golongan", status="open"
    ).exists()
    gets = [(path, headers) for method, path, headers in standin.calls if method == "GET"]
    assert len(gets) == 4
    for path, headers in gets:
        assert path.startswith("/apisiasn/1.0/pns/data-utama/")
        assert headers["Authorization"].startswith("Bearer ")
        assert headers["Auth"].startswith("bearer ")
    # Tokens are reused across calls, and nothing but GETs went to the API.
    assert [p for m, p, _ in standin.calls if m == "POST"] == ["/oauth2/token", "/sso/token"]
    # A partial fetch marks nobody missing from BKN.
    assert not ConsistencyIssue.objects.filter(issue_class="MISSING_BKN").exists()


def test_refused_tokens_are_renewed_once(standin, office):
    record = bkn_people(office)[0]
    standin.records[record["nipBaru"]] = record
    client = SiasnClient()
    assert client.data_utama(record["nipBaru"])["nama"] == "AHMAD  FAUZI"
    standin.revoke_tokens()
    assert client.data_utama(record["nipBaru"])["nipBaru"] == record["nipBaru"]
    assert [p for m, p, _ in standin.calls if m == "POST"].count("/oauth2/token") == 2


def test_wrong_credentials_are_a_clear_failure(standin, settings, office):
    settings.SIASN_CONSUMER_SECRET = "salah"
    summary = siasn_fetch(nips=[office.consistent.nip])
    assert summary["status"] == "failed"
    assert "HTTP 401" in summary["error"]
    with pytest.raises(SiasnError):
        SiasnClient().data_utama(office.consistent.nip)


def test_unreachable_siasn_fails_cleanly(settings, db):
    settings.SIASN_API_BASE_URL = "http://127.0.0.1:9/apisiasn/1.0"
    settings.SIASN_TOKEN_URL = "http://127.0.0.1:9/oauth2/token"
    settings.SIASN_CONSUMER_KEY = settings.SIASN_CONSUMER_SECRET = "x"
    settings.SIASN_SSO_USERNAME = "operator"
    summary = siasn_fetch(nips=["198503212010011001"])
    assert summary["status"] == "failed" and "SIASN tidak dapat dihubungi" in summary["error"]


def test_the_command(standin, office, capsys):
    record = bkn_people(office)[0]
    standin.records[record["nipBaru"]] = record
    call_command("siasn_fetch", record["nipBaru"])
    assert json.loads(capsys.readouterr().out)["created"] == 1


def test_off_unless_configured(settings, db):
    settings.SIASN_API_BASE_URL = ""
    with pytest.raises(CommandError, match="not configured"):
        call_command("siasn_fetch", "198503212010011001")
