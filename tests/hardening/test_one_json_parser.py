"""Every API view reads JSON with the one strict parser (config/parsers.py)."""

import json

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.parsers import JSONParser
from rest_framework.views import APIView

from config.parsers import StrictJSONParser


def _api_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _api_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "cls", None)
            if view is not None and issubclass(view, APIView):
                yield prefix + str(entry.pattern), view


def test_no_api_view_parses_json_with_a_plain_parser():
    views = list(_api_views())
    assert len(views) > 40  # the walk found the API
    plain = [
        (route, view.__name__, parser.__name__)
        for route, view in views
        for parser in view.parser_classes
        if issubclass(parser, JSONParser) and not issubclass(parser, StrictJSONParser)
    ]
    assert plain == []


DEEP = '{"date": "2026-01-05", "x": ' + "[" * 20 + "]" * 20 + "}"


def test_deeply_nested_json_to_the_daily_log_is_refused_by_the_strict_parser(api_client, db):
    """The daily log once named DRF's own parser (it reads any depth, NUL and lone
    surrogates): the strict parser's 400 must come back, not the view's own answer."""
    from tests import factories

    api_client.force_authenticate(factories.UserFactory())
    response = api_client.generic(
        "POST",
        "/api/v1/daily-log/",
        DEEP,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert json.loads(response.content) == {"detail": "The JSON is nested too deeply."}
