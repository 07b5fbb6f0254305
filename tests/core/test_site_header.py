"""The layout's header rendered once per process for the same values ({% site_header %},
core/templatetags/site_header.py): byte for byte the template rendered with the page's
own context, for visitors and staff, in both languages, with each page's own working
CSRF token, user name, badge, links, last login and address."""

import datetime
import itertools
import re

import pytest
from django.template import RequestContext
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone, translation

from core.services import PREVIOUS_LOGIN_SESSION_KEY
from core.templatetags import site_header as tag

pytestmark = pytest.mark.django_db


def _request(user, path="/staf/?scope=all", session=None):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.cache import SessionStore

    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request.session.update(session or {})
    return request


def _both(request, **values):
    """(the tag's header, the template rendered with the whole context)."""
    context = RequestContext(request, values)
    with context.bind_template(_template()):
        fast = tag.site_header(context)
        flat = context.flatten()
        flat["LANGUAGE_CODE"] = translation.get_language()
        plain = render_to_string(tag.TEMPLATE, flat).removesuffix("\n")
    return str(fast), plain


def _template():
    from django.template import engines

    return engines["django"].from_string("").template


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_same_bytes_as_the_template_for_everyone(language, clerk, supervisor):
    login = timezone.make_aware(datetime.datetime(2026, 11, 30, 8, 5))
    cases = [
        (None, {}, {}),  # a visitor
        (clerk, {}, {"staff_overdue": 0}),  # counter link, no badge, no login recorded
        (supervisor, {PREVIOUS_LOGIN_SESSION_KEY: ""}, {"staff_overdue": 7}),
        (supervisor, {PREVIOUS_LOGIN_SESSION_KEY: login.isoformat()}, {}),
    ]
    paths = ["/staf/?scope=all", '/cek-status/KJB-2026-00001-X/?q=<b>&x="y"\'']
    with translation.override(language):
        for (user, session, values), path in itertools.product(cases, paths):
            fast, plain = _both(_request(user, path, session=session), **values)
            assert fast == plain
            assert 'name="csrfmiddlewaretoken" value="' in fast
            assert tag._CSRF_MARK not in fast and tag._PATH_MARK not in fast
    assert "kasi_phu" in plain and "loket" not in plain


def test_a_page_of_its_own_path_is_not_a_new_rendering():
    tag._rendered.cache_clear()
    for number in range(5):
        fast, plain = _both(_request(None, f"/cek-status/KJB-2026-0000{number}-X/"))
        assert fast == plain and f"KJB-2026-0000{number}-X" in fast
    assert tag._rendered.cache_info().currsize == 1


def test_each_page_has_its_own_values_and_a_working_token(client, staff, supervisor, umrah):
    other = Client(enforce_csrf_checks=True)
    for user, browser in ((staff, client), (supervisor, other)):
        browser.force_login(user)
    mine = client.get("/staf/?scope=mine").content.decode()
    theirs = other.get("/staf/?scope=queue", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    header = re.compile(r'<header class="site-header">.*?</header>', re.S)
    mine_h, theirs_h = header.search(mine)[0], header.search(theirs)[0]
    assert "(petugas_phu)" in mine_h and "(kasi_phu)" in theirs_h
    assert 'value="/staf/?scope=mine"' in mine_h and 'value="/staf/?scope=queue"' in theirs_h
    assert "Keluar" in mine_h and "Log out" in theirs_h
    assert "/staf/dasbor/" in theirs_h and "/staf/dasbor/" not in mine_h  # supervisors only
    token = re.search(r'class="logout">.*?value="([^"]+)"', theirs_h, re.S)[1]
    assert other.post("/staf/keluar/", {"csrfmiddlewaretoken": "x" * 64}).status_code == 403
    assert other.post("/staf/keluar/", {"csrfmiddlewaretoken": token}).status_code == 302


def test_a_new_badge_is_a_new_header(client, staff, umrah):
    from tests.workflow.test_queue import new_request

    client.force_login(staff)
    before = client.get("/staf/").content.decode()
    assert "header-overdue" not in before
    task = new_request(umrah).tasks.get()
    task.overdue = True
    task.save()
    after = client.get("/staf/").content.decode()
    assert re.search(r'class="badge overdue header-overdue"[^>]*>1 ', after)
