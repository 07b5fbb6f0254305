from django.urls import re_path

from . import views

FMT = r"\.(?P<fmt>[a-z]+)$"

urlpatterns = [
    re_path(r"^services" + FMT, views.service_list, name="open311-services"),
    re_path(
        r"^services/(?P<service_code>[-\w]+)" + FMT,
        views.service_definition,
        name="open311-service",
    ),
    re_path(r"^requests" + FMT, views.request_list, name="open311-requests"),
    re_path(
        r"^requests/(?P<service_request_id>[-\w]+)" + FMT,
        views.request_detail,
        name="open311-request",
    ),
    re_path(r"^tokens/(?P<token>[-\w]+)" + FMT, views.token_detail, name="open311-token"),
]
