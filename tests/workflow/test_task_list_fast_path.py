"""The task list for a plain JSON GET with a token (workflow/api_tasks.py `_plain_json_list`,
answered without DRF's dispatch) answers byte for byte as DRF's view does: pages, links,
filters, every error, and who may see what."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.pagination import PageNumberPagination

from tests.workflow.test_queue import new_request
from workflow import services
from workflow.models import Task

pytestmark = pytest.mark.django_db

FAST = {}  # what apps, scripts and wrk send: no Accept (or */*, application/json)
DRF = {"HTTP_ACCEPT": "text/plain, application/json"}  # negotiated by DRF: JSON too


def answer(response):
    return response.status_code, list(response.headers.items()), response.content


def both(client, url, key, **extra):
    auth = {"HTTP_AUTHORIZATION": f"Token {key}", **extra}
    fast = answer(client.get(url, **auth))
    assert fast == answer(client.get(url, **auth, HTTP_ACCEPT="*/*"))
    assert fast == answer(client.get(url, **auth, HTTP_ACCEPT="application/json"))
    drf = answer(client.get(url, **auth, **DRF))
    assert fast == drf, url
    return fast


@pytest.fixture
def key(staff):
    return Token.objects.create(user=staff).key


@pytest.mark.parametrize(
    "query",
    [
        "scope=queue",
        "scope=mine",
        "",
        "scope=queue&page=2",
        "scope=queue&page=3",
        "scope=queue&sort=-created&overdue=false",
        "scope=queue&q=siti&service=rekomendasi-paspor-umrah&step=1&channel=online",
        "scope=queue&page=9",  # out of range: 404
        "scope=queue&page=x",
        "scope=all",  # 400
        "scope=queue&step=satu",
    ],
)
def test_the_fast_list_answers_as_drf_does(umrah, staff, key, monkeypatch, query):
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)
    requests = [new_request(umrah) for _ in range(7)]
    services.task_claim(task=Task.objects.get(request=requests[0]), user=staff)
    status, _headers, body = both(Client(), f"/api/v1/tasks/?{query}", key)
    expected = 404 if "page=9" in query or "page=x" in query else 200
    expected = 400 if "all" in query or "satu" in query else expected
    assert status == expected, body
    if query == "scope=queue&page=2":
        assert b'"next":"http://testserver/api/v1/tasks/?page=3&scope=queue"' in body
        assert b'"previous":"http://testserver/api/v1/tasks/?scope=queue"' in body


def test_refused_tokens_are_answered_as_drf_does(umrah, staff, key):
    client = Client()
    status, headers, body = both(client, "/api/v1/tasks/?scope=queue", "x" * 40)
    assert status == 401 and ("WWW-Authenticate", "Token") in headers
    assert b"Invalid token" in body
    assert both(client, "/api/v1/tasks/", "two words")[0] == 401
    staff.is_active = False
    staff.save()
    assert both(client, "/api/v1/tasks/", key)[0] == 401


def test_another_unit_sees_nothing_and_a_session_goes_through_drf(umrah, staff, outsider):
    new_request(umrah)
    client = Client()
    other = Token.objects.create(user=outsider).key
    assert b'"count":0' in both(client, "/api/v1/tasks/?scope=queue", other)[2]
    assert (
        b'"count":1'
        in both(client, "/api/v1/tasks/?scope=queue", Token.objects.create(user=staff).key)[2]
    )
    client.force_login(staff)
    page = client.get("/api/v1/tasks/?scope=queue")
    assert page.status_code == 200 and page.json()["count"] == 1
    anonymous = Client().get("/api/v1/tasks/?scope=queue")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == "Token"


def test_a_token_list_answer_reads_reach_and_page_only(umrah, staff, key):
    for _ in range(3):
        new_request(umrah)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    client.get("/api/v1/tasks/?scope=queue")  # the token's entry and the counts, kept
    client.get("/api/v1/tasks/?scope=queue")
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/tasks/?scope=queue").json()
    assert body["count"] == 3 and len(body["results"]) == 3
    assert len(queries) == 2, [q["sql"][:80] for q in queries]  # reach, page
