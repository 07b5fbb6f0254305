from django.urls import path

from . import api

urlpatterns = [
    path("verify/", api.VerifyFileApi.as_view(), name="api-verify-file"),
    path("verify/<str:code>/", api.VerifyApi.as_view(), name="api-verify"),
]
