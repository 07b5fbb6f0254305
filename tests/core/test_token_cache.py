"""API tokens' users kept in Redis (core/token_cache.py): the token and its user are read
from the database once while nothing about them changes, and never served after a
revoke, a rotation, an expiry, a deactivation or deletion, or a change of the user's
groups, permissions or staff memberships."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from config.authentication import ExpiringTokenAuthentication
from core import token_cache
from organization.models import StaffMembership
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-123"


def check(key):
    """The API's authentication of `key`: (user, queries it took)."""
    with CaptureQueriesContext(connection) as queries:
        user, token = ExpiringTokenAuthentication().authenticate_credentials(key)
    assert token.key == key and token.user is user
    return user, len(queries)


@pytest.fixture
def token(db):
    return Token.objects.create(user=factories.UserFactory(username="petugas"))


def test_a_token_is_read_once_and_then_served_from_redis(token):
    assert check(token.key)[1] == 1  # the token and its user, one query
    user, queries = check(token.key)
    assert queries == 0
    assert (user.pk, user.username, user.is_active) == (token.user.pk, "petugas", True)
    # The entry is kept under a digest of the token and holds no password.
    entry = cache.get(token_cache._entry_key(token_cache._digest(token.key)))
    assert entry is not None
    assert token.key not in repr(entry) and token.user.password not in repr(entry)
    assert not any(token.key in k.decode() for k in cache._cache._remote.get_client().keys("*"))
    assert user.password == token.user.password  # read on demand


def test_another_token_gets_its_own_user(token):
    other = Token.objects.create(user=factories.UserFactory(username="lain"))
    check(token.key), check(other.key)
    assert check(token.key) == (token.user, 0)
    assert check(other.key)[0].username == "lain"


def _deactivate(user):
    user.is_active = False
    user.save()


def _group(user):
    return Group.objects.create(name="arsip")


@pytest.mark.parametrize(
    "change",
    [
        lambda user: user.groups.add(_group(user)),
        lambda user: _group(user).user_set.add(user),
        lambda user: user.user_permissions.add(Permission.objects.first()),
        lambda user: factories.StaffMembershipFactory(user=user),
        lambda user: user.save(update_fields=["last_login"]),
    ],
    ids=["groups.add", "group.user_set.add", "permission", "membership added", "user saved"],
)
def test_a_change_of_the_user_reads_them_afresh(token, change):
    check(token.key), check(token.key)
    change(token.user)
    user, queries = check(token.key)
    assert queries == 1 and user.pk == token.user.pk
    assert check(token.key)[1] == 0


@pytest.mark.parametrize(
    "change",
    [
        lambda user, group: user.groups.remove(group),
        lambda user, group: user.groups.clear(),
        lambda user, group: group.user_set.remove(user),
        lambda user, group: group.user_set.clear(),
        lambda user, group: group.delete(),
        lambda user, group: StaffMembership.objects.filter(user=user).delete(),
        lambda user, group: StaffMembership.objects.get(user=user).delete(),
    ],
    ids=[
        "groups.remove",
        "groups.clear",
        "user_set.remove",
        "user_set.clear",
        "group deleted",
        "memberships deleted",
        "membership deleted",
    ],
)
def test_leaving_a_group_or_unit_reads_them_afresh(token, change):
    group = _group(token.user)
    token.user.groups.add(group)
    factories.StaffMembershipFactory(user=token.user)
    check(token.key), check(token.key)
    change(token.user, group)
    assert check(token.key)[1] == 1


def test_a_renamed_user_is_seen_renamed(token):
    check(token.key)
    token.user.username = "petugas_baru"
    token.user.save()
    assert check(token.key)[0].username == "petugas_baru"


@pytest.mark.parametrize(
    "change",
    [
        _deactivate,
        lambda user: user.delete(),
        lambda user: Token.objects.filter(user=user).delete(),
    ],
    ids=["deactivated", "user deleted", "token deleted"],
)
def test_a_deactivated_or_deleted_user_or_token_is_refused_at_once(token, change):
    check(token.key), check(token.key)
    change(token.user)
    with pytest.raises(AuthenticationFailed):
        check(token.key)


def test_revoked_and_expired_tokens_are_refused_over_the_api(api_client, token, settings):
    settings.API_TOKEN_TTL_HOURS = 12
    login = {"username": "petugas", "password": PASSWORD}
    key = api_client.post("/api/v1/auth/token/", login).json()["token"]
    headers = {"Authorization": f"Token {key}"}
    for _ in range(2):
        assert api_client.get("/api/v1/tasks/", headers=headers).status_code == 200
    assert api_client.delete("/api/v1/auth/token/", headers=headers).status_code == 204
    assert api_client.get("/api/v1/tasks/", headers=headers).status_code == 401
    # rotation: an expired token is refused from its cached entry too, and replaced
    key = api_client.post("/api/v1/auth/token/", login).json()["token"]
    headers = {"Authorization": f"Token {key}"}
    for _ in range(2):
        assert api_client.get("/api/v1/tasks/", headers=headers).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=13)):
        answer = api_client.get("/api/v1/tasks/", headers=headers)
        assert answer.status_code == 401 and "kedaluwarsa" in answer.json()["detail"]
        assert not Token.objects.filter(key=key).exists()
        fresh = api_client.post("/api/v1/auth/token/", login).json()["token"]
    assert fresh != key
    assert api_client.get("/api/v1/tasks/", headers=headers).status_code == 401
    ok = api_client.get("/api/v1/tasks/", headers={"Authorization": f"Token {fresh}"})
    assert ok.status_code == 200


def test_an_entry_read_before_a_change_committed_is_not_served_after_it(
    token, django_capture_on_commit_callbacks
):
    """A reader that read the version after the change's first bump but the user from a
    snapshot taken before its commit stores a stale entry under the newest version: the
    bump at commit leaves it behind."""
    check(token.key)
    stale = type(token.user).objects.get(pk=token.user.pk)
    with django_capture_on_commit_callbacks() as at_commit:
        _deactivate(token.user)
        lookup = token_cache.Lookup(token.key)  # (read "before the commit")
        lookup.store(stale, token)
    assert at_commit
    for callback in at_commit:
        callback()
    with pytest.raises(AuthenticationFailed):
        check(token.key)


def test_a_reader_stamps_its_entry_with_the_version_it_read_before_the_database(token):
    check(token.key)
    lookup = token_cache.Lookup(token.key)
    assert lookup.found() is not None
    token_cache.forget_token(token.key)  # a change commits while the reader reads
    lookup.store(token.user, token)
    assert check(token.key)[1] == 1


def test_without_redis_every_call_reads_the_database(token, monkeypatch):
    monkeypatch.setattr(cache, "get_many_shared", lambda keys: None)
    assert [check(token.key)[1] for _ in range(3)] == [1, 1, 1]


def test_a_lost_version_counter_reads_afresh(token):
    """Redis restarted or flushed: no entry survives a counter that is gone."""
    check(token.key), check(token.key)
    cache.delete(token_cache._version_key(token_cache._digest(token.key)))
    assert check(token.key)[1] == 1
    assert check(token.key)[1] == 0
