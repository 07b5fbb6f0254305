"""The session row and the signed-in user read as prepared statements (accounts/sessions.py,
accounts/backends.py) with Django's semantics kept: a session Django's own store wrote
still signs in (and one naming Django's ModelBackend), expiry, the key cycled on login,
logout, an inactive or changed-password user signed out, and a failed login checking the
password once."""

import datetime

import pytest
import time_machine
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.backends import UserBackend
from accounts.sessions import SessionStore
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "benar-sekali-2026"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def officer(db):
    user = factories.UserFactory(username="petugas", first_name="Siti")
    user.set_password(PASSWORD)
    user.save()
    return user


def _signed_in(user, backend, store_class=db.SessionStore) -> str:
    store = store_class()
    store.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    store.save()
    return store.session_key


def _whoami(session_key: str):
    client = Client()
    client.cookies["sessionid"] = session_key
    response = client.get("/staf/")
    return response.status_code, response.get("Location", "")


def mine_name(queries) -> str:
    return queries.captured_queries[0]["sql"].split("(")[0]


def test_the_row_is_read_as_a_prepared_statement_and_decoded_as_django_does(officer):
    key = _signed_in(officer, "accounts.backends.UserBackend")
    with CaptureQueriesContext(connection) as queries:
        mine = SessionStore(key).load()
    assert mine == db.SessionStore(key).load() and mine[SESSION_KEY] == str(officer.pk)
    assert len(queries.captured_queries) == 1
    assert queries.captured_queries[0]["sql"].startswith("EXECUTE alur_q_")
    other = _signed_in(factories.UserFactory(), MODEL_BACKEND)
    with CaptureQueriesContext(connection) as again:
        SessionStore(other).load()
    # the key is the statement's parameter: one statement for every session
    assert again.captured_queries[0]["sql"].split("(")[0] == mine_name(queries)


@pytest.mark.parametrize("backend", ["accounts.backends.UserBackend", MODEL_BACKEND])
def test_a_session_django_wrote_still_signs_in_whichever_backend_it_names(officer, backend):
    assert _whoami(_signed_in(officer, backend)) == (200, "")


def test_an_expired_or_unknown_session_is_empty_and_loses_its_key(officer):
    key = _signed_in(officer, "accounts.backends.UserBackend")
    now = timezone.now()
    Session.objects.filter(pk=key).update(expire_date=now + datetime.timedelta(seconds=60))
    with time_machine.travel(now + datetime.timedelta(seconds=59), tick=False):
        assert SessionStore(key).load()[SESSION_KEY] == str(officer.pk)
    for later in (60, 61):  # Django's `expire_date > now`: expired at that instant
        with time_machine.travel(now + datetime.timedelta(seconds=later), tick=False):
            store, django = SessionStore(key), db.SessionStore(key)
            assert store.load() == django.load() == {}
            assert store.session_key is None and django.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None
    assert SessionStore().load() == {}


def test_login_cycles_the_key_and_logout_ends_the_session(officer):
    client = Client(REMOTE_ADDR="198.51.100.50")
    client.get("/staf/masuk/")
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    response = client.post("/staf/masuk/", {"username": "petugas", "password": PASSWORD})
    assert response.status_code == 302
    key = client.cookies["sessionid"].value
    assert key != before
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.UserBackend"
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staf/").status_code == 200
    session, user = (q["sql"] for q in queries.captured_queries[:2])
    assert session.startswith("EXECUTE alur_q_") and user.startswith("EXECUTE alur_q_")
    client.post("/staf/keluar/")
    assert not Session.objects.filter(pk=key).exists()
    assert _whoami(key)[0] == 302  # the old key no longer signs in


@pytest.mark.parametrize("backend", ["accounts.backends.UserBackend", MODEL_BACKEND])
def test_an_inactive_user_or_a_changed_password_signs_the_session_out(officer, backend):
    key = _signed_in(officer, backend)
    officer.is_active = False
    officer.save()
    assert _whoami(key)[0] == 302
    officer.is_active = True
    officer.save()
    assert _whoami(key) == (200, "")
    officer.set_password("sandi-baru-2026")
    officer.save()
    assert _whoami(key)[0] == 302
    assert not Session.objects.filter(pk=key).exists()  # flushed, as Django does


def test_the_user_is_the_instance_the_orm_gives(officer):
    fast = UserBackend().get_user(officer.pk)
    orm = User.objects.get(pk=officer.pk)
    fields = [f.attname for f in User._meta.concrete_fields]
    assert [getattr(fast, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert fast._state.adding is False and fast._state.db == "default"
    assert UserBackend().get_user(officer.pk + 1000) is None


def test_a_failed_login_checks_the_password_once(officer, monkeypatch):
    checked = []
    original = User.check_password
    monkeypatch.setattr(
        User, "check_password", lambda self, raw: checked.append(raw) or original(self, raw)
    )
    client = Client(REMOTE_ADDR="198.51.100.51")
    response = client.post("/staf/masuk/", {"username": "petugas", "password": "salah"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert checked == ["salah"]
    response = client.post("/staf/masuk/", {"username": "petugas", "password": PASSWORD})
    assert response.status_code == 302 and checked == ["salah", PASSWORD]
