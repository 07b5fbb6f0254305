"""Page routes of the year's work and evaluation, under /staf/skp/ (namespace `skp`)."""

from django.urls import path

from . import views_evaluation as views

urlpatterns = [
    path(
        "<int:skp_id>/rencana-aksi/<int:ra_id>/bukti/<int:bd_id>/",
        views.bukti_dukung,
        name="bukti_dukung",
    ),
]
