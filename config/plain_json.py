"""Public JSON reads answered without DRF's dispatch, byte for byte as DRF answers them.

The public lookups and the catalogue are read far more than anything else, and most of
their cost per answer was DRF's machinery (content negotiation, throttle and permission
classes, the serializer and the renderer run again for an answer already cached). A
view opts in with `fast_path`: a plain GET asking for JSON (no Accept, `*/*` or
`application/json`, no `?format=`) is handed to its fast function, which answers from
cached JSON bytes with the headers DRF's view would add; anything else (HEAD, OPTIONS,
the browsable API, other media types) goes to the DRF view as before. The schema and
URL tools still see the DRF view (its `cls` and `initkwargs`).
"""

from django.http import HttpRequest, HttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings

from config.exceptions import api_exception_handler

_PLAIN_ACCEPTS = frozenset({"", "*/*", "application/json"})
RENDERER = JSONRenderer()


def wants_plain_json(request) -> bool:
    """A GET that DRF would answer with its JSON renderer and no indent."""
    return (
        request.method == "GET"
        and request.META.get("HTTP_ACCEPT", "").strip() in _PLAIN_ACCEPTS
        and api_settings.URL_FORMAT_OVERRIDE not in request.GET
    )


def fast_path(drf_view, fast):
    """`drf_view` (from `APIView.as_view()`) with `fast(request, *args, **kwargs)` in front
    for plain JSON GETs; `fast` returns a response, or None to let DRF answer."""

    def view(request, *args, **kwargs):
        if wants_plain_json(request):
            response = fast(request, *args, **kwargs)
            if response is not None:
                return response
        return drf_view(request, *args, **kwargs)

    view.__dict__.update(drf_view.__dict__)
    return view


def drf_headers(view_class) -> dict:
    """The headers DRF's view adds to every answer (Vary: Accept, Allow)."""
    view = view_class()
    view.setup(HttpRequest())  # as Django's dispatch does: HEAD where there is GET
    headers = view.default_response_headers
    return {"Vary": headers["Vary"], "Allow": headers["Allow"]} if "Vary" in headers else headers


def json_response(body: bytes, headers: dict, status: int = 200) -> HttpResponse:
    return HttpResponse(
        body, status=status, headers={"Content-Type": RENDERER.media_type, **headers}
    )


def error_response(exc, headers: dict):
    """The answer DRF's view gives for `exc` (an APIException): same handler, same body."""
    response = api_exception_handler(exc, {})
    response.accepted_renderer = RENDERER
    response.accepted_media_type = RENDERER.media_type
    response.renderer_context = {}
    for header, value in headers.items():
        response[header] = value
    return response


def rendered(response) -> bytes | None:
    """The JSON bytes of a DRF view's successful answer (to cache), else None."""
    renderer = getattr(response, "accepted_renderer", None)
    if response.status_code != 200 or not isinstance(renderer, JSONRenderer):
        return None
    response.render()
    return response.content
