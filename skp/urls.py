from django.urls import path

from . import views, views_rhk

app_name = "skp"

urlpatterns = [
    path("", views.my_skp, name="mine"),
    path("tinjau/", views.to_review, name="to_review"),
    path("<int:skp_id>/", views.detail, name="detail"),
    path("<int:skp_id>/rhk/", views_rhk.rhk_add, name="rhk_add"),
    path("<int:skp_id>/rhk/<int:rhk_id>/", views_rhk.rhk_edit, name="rhk_edit"),
    path("<int:skp_id>/rhk/<int:rhk_id>/hapus/", views_rhk.rhk_delete, name="rhk_delete"),
    path("<int:skp_id>/rhk/<int:rhk_id>/indikator/", views_rhk.indicator_add, name="indicator_add"),
    path(
        "<int:skp_id>/indikator/<int:indicator_id>/",
        views_rhk.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "<int:skp_id>/indikator/<int:indicator_id>/hapus/",
        views_rhk.indicator_delete,
        name="indicator_delete",
    ),
    path("<int:skp_id>/ajukan/", views.submit, name="submit"),
    path("<int:skp_id>/setujui/", views.approve, name="approve"),
    path("<int:skp_id>/kembalikan/", views.return_, name="return"),
    path("<int:skp_id>/buka-kembali/", views.reopen, name="reopen"),
    path("<int:skp_id>/ekspektasi/<slug:core_value>/", views.expectation, name="expectation"),
    path("<int:skp_id>/cetak/", views.print_pdf, name="print"),
]

# The year's work and evaluation have their own module.
from .urls_evaluation import urlpatterns as evaluation_urlpatterns  # noqa: E402

urlpatterns += evaluation_urlpatterns
