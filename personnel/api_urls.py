from django.urls import path

from . import api

urlpatterns = [
    path("personnel/consistency/", api.ConsistencyListApi.as_view(), name="api-consistency"),
    path(
        "personnel/consistency/summary/",
        api.ConsistencySummaryApi.as_view(),
        name="api-consistency-summary",
    ),
    path(
        "personnel/consistency/<int:issue_id>/history/",
        api.IssueHistoryApi.as_view(),
        name="api-consistency-history",
    ),
    path(
        "personnel/consistency/<int:issue_id>/accept-bkn/",
        api.IssueAcceptBknApi.as_view(),
        name="api-consistency-accept-bkn",
    ),
    path(
        "personnel/consistency/<int:issue_id>/keep-local/",
        api.IssueKeepLocalApi.as_view(),
        name="api-consistency-keep-local",
    ),
    path(
        "personnel/consistency/<int:issue_id>/create-employee/",
        api.IssueCreateEmployeeApi.as_view(),
        name="api-consistency-create-employee",
    ),
    path("personnel/imports/", api.ImportListApi.as_view(), name="api-siasn-imports"),
    path(
        "personnel/imports/<int:import_id>/",
        api.ImportDetailApi.as_view(),
        name="api-siasn-import",
    ),
]
