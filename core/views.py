"""Alur's own error answers: JSON `{"detail"}` under /api/, the site's pages elsewhere.

A database that stops answering mid-request (restart, failover) is a 503 with
Retry-After, not a 500: the request's transaction was rolled back, so trying again is
safe. Django calls `server_error` inside the `except` block, so the cause is at hand.
"""

import sys

from django import db
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 5


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Bad request.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return JsonResponse(
            {"detail": _("You do not have permission to perform this action.")}, status=403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    exc = sys.exc_info()[1]
    if isinstance(exc, db.OperationalError | db.InterfaceError):
        return service_unavailable(request)
    if _is_api(request):
        return JsonResponse({"detail": _("A server error occurred.")}, status=500)
    # No request context: the page must render even when sessions or the database fail.
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def service_unavailable(request):
    if _is_api(request):
        response = JsonResponse(
            {"detail": _("The service is briefly unavailable. Please try again shortly.")},
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
