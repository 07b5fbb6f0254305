from django.urls import path

from . import api

urlpatterns = [
    path("requests/<str:number>/survey/", api.SurveyApi.as_view(), name="api-request-survey"),
    path("ikm/", api.IkmApi.as_view(), name="api-ikm"),
    path("complaints/", api.ComplaintListApi.as_view(), name="api-complaints"),
    path("complaints/<str:code>/", api.ComplaintDetailApi.as_view(), name="api-complaint"),
]
