"""Staff pages show the previous login: kept in the session by the login receiver."""

import pytest

from core.models import LoginEvent
from core.services import PREVIOUS_LOGIN_SESSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db


def _login(client, username):
    response = client.post("/staf/masuk/", {"username": username, "password": "rahasia-123"})
    assert response.status_code == 302


def test_first_login_has_no_previous_and_the_second_sees_the_first(client):
    user = factories.UserFactory(username="pegawai")
    _login(client, "pegawai")
    assert client.session[PREVIOUS_LOGIN_SESSION_KEY] == ""
    first = LoginEvent.objects.get(user=user).at

    client.post("/staf/keluar/")
    _login(client, "pegawai")
    assert client.session[PREVIOUS_LOGIN_SESSION_KEY] == first.isoformat()
    assert LoginEvent.objects.filter(user=user).count() == 2


def test_a_failed_login_is_not_recorded(client):
    factories.UserFactory(username="pegawai")
    client.post("/staf/masuk/", {"username": "pegawai", "password": "salah"})
    assert not LoginEvent.objects.exists()


def test_header_shows_the_previous_login_in_local_time(client):
    from django.utils import timezone, translation
    from django.utils.dateformat import format as date_format

    user = factories.UserFactory(username="pegawai")
    _login(client, "pegawai")
    first = client.get("/staf/skp/")
    assert "Login terakhir" in first.text
    assert "belum ada yang tercatat sebelum ini" in first.text

    earlier = timezone.now() - timezone.timedelta(days=3)
    LoginEvent.objects.filter(user=user).update(at=earlier)
    client.post("/staf/keluar/")
    _login(client, "pegawai")
    local = timezone.localtime(earlier)
    with translation.override("id"):
        shown = date_format(local, "j F Y H:i")  # e.g. "28 November 2026 09:15", Jakarta time
    for path in ["/staf/skp/", "/"]:
        page = client.get(path)
        assert f'Login terakhir:\n  <time datetime="{local.isoformat()}">{shown}</time>' in (
            page.text
        ), path
