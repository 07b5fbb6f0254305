from django.urls import path

from .api import ServiceTypeDetailApi, ServiceTypeListApi

urlpatterns = [
    path("services/", ServiceTypeListApi.as_view(), name="api-service-list"),
    path("services/<slug:code>/", ServiceTypeDetailApi.as_view(), name="api-service-detail"),
]
