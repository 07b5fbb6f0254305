"""Page routes of the year's work and evaluation, under /staf/skp/ (namespace `skp`)."""

from django.urls import path

from . import (
    api_urls_evaluation,  # noqa: F401 - registers the `period` converter
    views_office,
)
from . import views_evaluation as views

urlpatterns = [
    path("<int:skp_id>/realisasi/", views.realisation, name="realisation"),
    path("<int:skp_id>/realisasi/simpan/", views.rencana_aksi_save, name="rencana_aksi_save"),
    path(
        "<int:skp_id>/rencana-aksi/<int:ra_id>/bukti/",
        views.bukti_dukung_add,
        name="bukti_dukung_add",
    ),
    path(
        "<int:skp_id>/rencana-aksi/<int:ra_id>/bukti/<int:bd_id>/",
        views.bukti_dukung,
        name="bukti_dukung",
    ),
    path("<int:skp_id>/umpan-balik/", views.feedback_add, name="feedback_add"),
    path("<int:skp_id>/evaluasi/", views.evaluations, name="evaluations"),
    path(
        "<int:skp_id>/evaluasi/<period:period>/cetak/",
        views.evaluation_pdf,
        name="evaluation_pdf",
    ),
    path(
        "<int:skp_id>/evaluasi/<period:period>/<slug:action>/",
        views.evaluation_action,
        name="evaluation_action",
    ),
    path("evaluasi/nilai/", views.to_rate, name="to_rate"),
    path("predikat/", views_office.predikat_report, name="predikat_report"),
    path("kunci/", views_office.locks, name="locks"),
    path("pengaturan/", views_office.performance_settings, name="settings"),
]
