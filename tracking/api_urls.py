from django.urls import path

from .api import TrackApi

urlpatterns = [
    path("track/<str:registration_number>/", TrackApi.as_view(), name="api-track"),
]
