from django.urls import path

from . import api

urlpatterns = [
    path("skp/", api.SkpListCreateApi.as_view(), name="api-skp-list"),
    path("skp/<int:skp_id>/", api.SkpDetailApi.as_view(), name="api-skp-detail"),
    path("skp/<int:skp_id>/history/", api.SkpHistoryApi.as_view(), name="api-skp-history"),
    path("skp/<int:skp_id>/submit/", api.SkpSubmitApi.as_view(), name="api-skp-submit"),
    path("skp/<int:skp_id>/approve/", api.SkpApproveApi.as_view(), name="api-skp-approve"),
    path("skp/<int:skp_id>/return/", api.SkpReturnApi.as_view(), name="api-skp-return"),
    path("skp/<int:skp_id>/reopen/", api.SkpReopenApi.as_view(), name="api-skp-reopen"),
    path(
        "skp/<int:skp_id>/expectations/",
        api.SkpExpectationApi.as_view(),
        name="api-skp-expectations",
    ),
    path("skp/<int:skp_id>/rhk/", api.RhkCreateApi.as_view(), name="api-skp-rhk"),
    path(
        "skp/<int:skp_id>/rhk/<int:rhk_id>/",
        api.RhkDetailApi.as_view(),
        name="api-skp-rhk-detail",
    ),
    path(
        "skp/<int:skp_id>/rhk/<int:rhk_id>/indicators/",
        api.IndicatorCreateApi.as_view(),
        name="api-skp-indicators",
    ),
    path(
        "skp/<int:skp_id>/rhk/<int:rhk_id>/indicators/<int:indicator_id>/",
        api.IndicatorDetailApi.as_view(),
        name="api-skp-indicator-detail",
    ),
]

# The year's work and evaluation (CONTRACT.md 7) have their own module.
from .api_urls_evaluation import urlpatterns as evaluation_urlpatterns  # noqa: E402

urlpatterns += evaluation_urlpatterns
