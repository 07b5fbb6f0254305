"""One JSON reader for every API body and every JSON form part.

Python's `json` accepts what PostgreSQL and the rest of the system cannot hold: NUL
characters, lone surrogates (`"\\ud800"`), `NaN`/`Infinity`, numbers with thousands of
digits, and nesting deep enough to exhaust the interpreter's stack. Each of those used to
end in a 500 somewhere downstream; here they are a 400 before any view sees them.
"""

import json
import math
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 8  # the deepest body of the API is 3 levels (`{"data": {"f": [..]}}`)
MAX_NUMBER_CHARS = 40
# Characters PostgreSQL (NUL) or XML/JSON text cannot hold, and lone UTF-16 surrogates.
FORBIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def has_forbidden_characters(text: str) -> bool:
    return FORBIDDEN_CHARACTERS.search(text) is not None


def _number(text: str):
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError("number too long")
    if not any(c in text for c in ".eE"):
        return int(text)
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("number out of range")
    return number


def _constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _check(value) -> None:
    """Depth and characters, walked without recursion."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(_("The JSON is nested too deeply."))
            children = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in children:
                if isinstance(key, str) and has_forbidden_characters(key):
                    raise ParseError(_("The JSON contains characters that are not allowed."))
                stack.append((child, depth + 1))
        elif isinstance(item, str) and has_forbidden_characters(item):
            raise ParseError(_("The JSON contains characters that are not allowed."))


def loads_object(text: str | bytes) -> dict:
    """A JSON object from text, or ParseError (400) with a message for people."""
    try:
        value = json.loads(text, parse_float=_number, parse_int=_number, parse_constant=_constant)
    except RecursionError:
        raise ParseError(_("The JSON is nested too deeply.")) from None
    except (TypeError, ValueError):
        raise ParseError(_("The body is not valid JSON.")) from None
    _check(value)
    if not isinstance(value, dict):
        raise ParseError(_("The body must be a JSON object."))
    return value


class StrictJSONParser(JSONParser):
    """DRF's JSON parser with the checks above; every API body is a JSON object."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The body is not valid UTF-8 text.")) from None
        return loads_object(text)
