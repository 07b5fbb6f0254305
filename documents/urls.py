from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("verifikasi/", views.verify_index, name="verify-index"),
    path("verifikasi/<str:code>/", views.verify_detail, name="verify"),
    path("staf/surat/<int:task_id>/terbitkan/", views.letter_issue, name="letter-issue"),
    path("staf/dokumen/<str:code>/", views.staff_document, name="staff-document"),
    path(
        "staf/dokumen/<str:code>/cabut/", views.staff_document_revoke, name="staff-document-revoke"
    ),
]
