from django.urls import path

from . import views

urlpatterns = [
    path("konsistensi/", views.monitor, name="personnel-monitor"),
    path("konsistensi/periksa-ulang/", views.recheck, name="personnel-recheck"),
    path("konsistensi/<int:issue_id>/", views.issue_detail, name="personnel-issue"),
    path(
        "konsistensi/<int:issue_id>/<slug:action>/",
        views.issue_act,
        name="personnel-issue-act",
    ),
    path("impor/", views.upload, name="personnel-upload"),
    path("impor/<int:import_id>/", views.import_status, name="personnel-import"),
    path("impor/<int:import_id>/progres/", views.import_progress, name="personnel-import-progress"),
]
