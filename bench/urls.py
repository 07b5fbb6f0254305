"""Alur's URLs plus the floor: a bare Django JSON view under the same server and
middleware, so every figure can be read as a share of what Django itself manages."""

from django.http import JsonResponse
from django.urls import include, path


def floor(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/floor/", floor), path("", include("config.urls"))]
