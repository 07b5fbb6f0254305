"""Project-wide request and response rules that no single view should have to remember."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from config.parsers import has_forbidden_characters

# Twilio's webhooks are signed over the exact parameters: they are cleaned where used.
_UNCHECKED_PREFIXES = ("/webhooks/",)


def _bad_request(request, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    try:
        body = render_to_string("400.html", {"message": message}, request=request)
    except TemplateDoesNotExist:
        body = message
    return HttpResponseBadRequest(body)


class ForbiddenCharactersMiddleware:
    """400 for a query or form value (or file name) holding NUL or another control
    character: PostgreSQL refuses NUL (a 500 deep in a service), and no form of Alur has a
    use for the others. Tab, newline and carriage return are kept. JSON bodies get the same
    rule from `config.parsers`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(_UNCHECKED_PREFIXES):
            try:
                bad = _has_bad_input(request)
            except MultiPartParserError:
                return _bad_request(request, _("The form data could not be read."))
            if bad:
                return _bad_request(
                    request, _("The form contains characters that are not allowed.")
                )
        return self.get_response(request)


def _has_bad_input(request) -> bool:
    sources = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.POST)
        if any(has_forbidden_characters(f.name or "") for f in request.FILES.values()):
            return True
    return any(
        has_forbidden_characters(key) or any(has_forbidden_characters(v) for v in values)
        for source in sources
        for key, values in source.lists()
    )


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page and API answer that does not say otherwise.

    Most of Alur's answers carry personal data (an applicant's request, a staff queue, a
    receipt) and the public ones change with every decision; nothing dynamic is worth a
    stale or shared copy. Static files are served (and cached) by WhiteNoise before this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
