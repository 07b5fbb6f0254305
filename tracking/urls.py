from django.urls import path

from . import views, views_preview

app_name = "tracking"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("layanan/<slug:code>/", views.service_detail, name="service-detail"),
    path(
        "staf/pratinjau-layanan/<slug:code>/",
        views_preview.service_preview,
        name="service-preview",
    ),
    path("cek-status/", views.track_lookup, name="track-lookup"),
    path("cek-status/<str:number>/", views.track_detail, name="track-detail"),
    path("permohonan/<str:number>/", views.own_request, name="own-request"),
    path("permohonan/<str:number>/tanda-terima/", views.receipt, name="receipt"),
    path("permohonan/<str:number>/tanda-terima.pdf", views.receipt_pdf, name="receipt-pdf"),
    path("permohonan/<str:number>/perbaiki/", views.own_resubmit, name="own-resubmit"),
    path("permohonan/<str:number>/batal/", views.own_cancel, name="own-cancel"),
    path(
        "permohonan/<str:number>/dokumen/<int:document_id>/",
        views.own_document,
        name="own-document",
    ),
    path("permohonan/<str:number>/hasil/", views.own_result, name="own-result"),
    path("kantor/<str:code>/logo/", views.office_logo, name="office-logo"),
    path("staf/loket/", views.counter_index, name="counter"),
    path("staf/loket/cetak-ulang/", views.counter_reprint, name="counter-reprint"),
    path("staf/loket/<slug:code>/", views.counter_form, name="counter-form"),
]
