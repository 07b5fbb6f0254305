"""The queue page's rows and filter form, rendered once per process for the same inputs
(workflow/fragments.py): each viewer still sees their own actions, every form carries a
working CSRF token, and the language and filters of the answer are the ones shown."""

import re

import pytest
from django.test import Client

from tests.workflow.test_queue import new_request
from workflow import fragments, services
from workflow.models import Task

pytestmark = pytest.mark.django_db
URL = "/staf/?scope=all"


def _row(html, number):
    return re.search(rf'<tr class="task[^"]*" data-number="{number}">.*?</tr>', html, re.S)[0]


def _page(user, url=URL, **headers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(url, **headers)
    assert page.status_code == 200
    return client, page.content.decode()


def test_each_viewer_sees_their_own_actions_on_the_same_row(umrah, staff, staff2, supervisor):
    number = new_request(umrah).registration_number
    task = Task.objects.get(request__registration_number=number)
    for user in (staff, supervisor):  # unclaimed: both may claim it
        assert f'action="/staf/tugas/{task.pk}/ambil/"' in _row(_page(user)[1], number)
    services.task_claim(task=task, user=staff)
    mine, boss = _row(_page(staff)[1], number), _row(_page(supervisor)[1], number)
    assert "/lepas/" in mine and "/tugaskan/" not in mine
    assert 'name="next" value="/staf/?scope=all"' in mine
    assert "/lepas/" in boss and "/tugaskan/" in boss  # supervisors release and assign
    assert 'value="petugas_phu2"' in boss  # whom to
    assert f'data-number="{number}"' not in _page(staff2)[1]  # a colleague's claimed task
    # the page's own address in each row's "next"
    assert 'value="/staf/?scope=all&amp;x=1"' in _row(_page(supervisor, URL + "&x=1")[1], number)


def test_every_rows_form_carries_a_working_csrf_token(umrah, staff):
    new_request(umrah)
    client, html = _page(staff)
    row = html.split("<tbody>", 1)[1]
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', row)
    assert tokens and fragments.CSRF_MARK not in html
    action = re.search(r'<form method="post" action="([^"]+)"', row)[1]
    claimed = client.post(action, {"csrfmiddlewaretoken": tokens[0]})
    assert claimed.status_code == 302
    assert Task.objects.get().assigned_to == staff
    refused = client.post(action.replace("ambil", "lepas"), {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403


def test_the_rows_and_form_are_in_the_answers_language_and_filters(umrah, staff):
    number = new_request(umrah).registration_number
    _, indonesian = _page(staff)
    _, english = _page(staff, HTTP_ACCEPT_LANGUAGE="en")
    assert "Ambil" in _row(indonesian, number) and "Claim" in _row(english, number)
    assert 'data-label="Registration number"' in _row(english, number)
    assert 'for="f-q">Cari' in indonesian and 'for="f-q">Search' in english
    _, searched = _page(staff, URL + "&q=siti&sort=-created")
    assert 'value="siti"' in searched and '<option value="-created" selected>' in searched
    _, plain = _page(staff)
    assert 'value="siti"' not in plain and '<option value="due" selected>' in plain
