"""The status page as a shell rendered once per process and language, filled per answer.

Rendering the whole page (the site's layout around the cached answer) for every lookup
was most of a cached status page's CPU (profiled). For a visitor who is not signed in and
has no pending messages, the page differs between lookups only in the number, the
answer's HTML, the CSRF token of the language form and the address in its `next` field:
the template is rendered once with markers in their place, and each answer is the shell
with its values put in, escaped as the template escapes them. Everyone else (staff
signed in, a message to show) gets the template rendered as before.
tests/tracking/test_status_page_shell.py holds both renderings equal.
"""

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language

TEMPLATE = "tracking/track_detail.html"
_MARK = "alurshell{}mark"
_NUMBER, _ANSWER, _TOKEN, _PATH = (_MARK.format(n) for n in range(4))
_shells: dict[str, list[str]] = {}


class _Path:
    """Stands in for the request in the layout's `{{ request.get_full_path }}`."""

    def get_full_path(self):
        return _PATH


def _shell(request) -> list[str]:
    language = get_language()
    if language not in _shells:
        html = render_to_string(
            TEMPLATE,
            {
                "answer": {"registration_number": _NUMBER, "html": _ANSWER},
                "csrf_token": _TOKEN,
                "request": _Path(),
                "messages": (),
            },
            request=request,
        )
        _shells[language] = _split(html)
    return _shells[language]


def _split(html: str) -> list[str]:
    """The shell as [text, marker, text, marker, ...]."""
    parts = [html]
    for mark in (_NUMBER, _ANSWER, _TOKEN, _PATH):
        parts = [piece for part in parts for piece in _around(part, mark)]
    return parts


def _around(text: str, mark: str) -> list[str]:
    if text in (_NUMBER, _ANSWER, _TOKEN, _PATH):
        return [text]
    pieces = text.split(mark)
    out = [pieces[0]]
    for piece in pieces[1:]:
        out += [mark, piece]
    return out


def status_page(request, answer: dict) -> HttpResponse:
    """The status page of a cached answer ({registration_number, html})."""
    if request.user.is_authenticated or len(get_messages(request)):
        return HttpResponse(render_to_string(TEMPLATE, {"answer": answer}, request=request))
    values = {
        _NUMBER: escape(answer["registration_number"]),
        _ANSWER: answer["html"],
        _TOKEN: escape(get_token(request)),
        _PATH: escape(request.get_full_path()),
    }
    return HttpResponse("".join(values.get(part, part) for part in _shell(request)))
