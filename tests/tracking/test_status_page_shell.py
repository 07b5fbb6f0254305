"""The status page from its shell (tracking/page_shell.py) is the page the template renders,
for every visitor it is used for; staff and visitors with a message get the template."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory

from tracking import page_shell

from .conftest import stored_request

pytestmark = pytest.mark.django_db


def without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def rendered_by_template(monkeypatch, client, url, **headers):
    with monkeypatch.context() as patched:
        patched.setattr(page_shell, "get_messages", lambda request: [object()])
        return client.get(url, **headers)


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("query", ["", "?x=%3Cscript%3E&y=%22"])
def test_the_shell_page_is_the_template_page(portal_service, monkeypatch, language, query):
    page_shell._shells.clear()
    number = stored_request(portal_service, history=3).registration_number
    url = f"/cek-status/{number}/{query}"
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    from_shell = client.get(url)
    by_template = rendered_by_template(monkeypatch, Client(HTTP_ACCEPT_LANGUAGE=language), url)
    assert from_shell.status_code == by_template.status_code == 200
    assert without_token(from_shell.text) == without_token(by_template.text)
    assert list(from_shell.headers.items()) == list(by_template.headers.items())
    assert "csrftoken" in from_shell.cookies  # the language form still posts
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', from_shell.text)[1]
    assert len(token) == 64
    assert "<script>" not in from_shell.text  # the address is escaped as the template does
    assert number in from_shell.text


def test_signed_in_staff_get_their_header(portal_service, client, django_user_model):
    number = stored_request(portal_service).registration_number
    client.get(f"/cek-status/{number}/")  # a shell exists
    user = django_user_model.objects.create_user("petugas", password="x-Long-pass-123")
    client.force_login(user)
    page = client.get(f"/cek-status/{number}/").text
    assert "(petugas)" in page and "/staf/" in page


def test_a_pending_message_is_shown(portal_service):
    number = stored_request(portal_service).registration_number
    client = Client()
    client.get(f"/cek-status/{number}/")
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Bahasa diganti.")])
    assert "Bahasa diganti." in client.get(f"/cek-status/{number}/").text


def test_a_cached_status_page_reads_nothing_and_renders_no_template(
    portal_service, django_assert_num_queries, monkeypatch, lookup_prepared
):
    number = stored_request(portal_service).registration_number
    client = Client()
    with django_assert_num_queries(1):
        first = client.get(f"/cek-status/{number}/")
    rendered = []
    monkeypatch.setattr(page_shell, "render_to_string", lambda *a, **k: rendered.append(a))
    with django_assert_num_queries(0):
        again = client.get(f"/cek-status/{number}/")
    assert without_token(again.text) == without_token(first.text)
    assert rendered == []
