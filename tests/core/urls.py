"""config.urls plus views that fail, to see the error answers (handlers come along)."""

from django.db import OperationalError
from django.urls import path

from config.urls import *  # noqa: F403 - urlpatterns and the handler400..500 settings
from config.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("a bug")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("test-boom/", boom),
    path("api/v1/test-boom/", boom),
    path("test-db-gone/", database_gone),
    path("api/v1/test-db-gone/", database_gone),
    *site_urlpatterns,
]
