from django.urls import path

from . import internal, views, views_desk

app_name = "attendance"

urlpatterns = [
    path("", views.check_in, name="check_in"),
    path("wajah/", views.face, name="face"),
    path("wajah/hapus/", views.face_delete, name="face_delete"),
    path("rekap/", views.my_recap, name="my_recap"),
    path("catatan/", views.daily_log, name="daily_log"),
    path("catatan/<int:entry_id>/ubah/", views.daily_log_edit, name="daily_log_edit"),
    path("catatan/<int:entry_id>/hapus/", views.daily_log_delete, name="daily_log_delete"),
    path("catatan/laporan/", views.report_submit, name="report_submit"),
    path("layanan/", internal.internal_services, name="internal"),
    path("layanan/<slug:code>/", internal.internal_apply, name="internal_apply"),
    path("tim/", views_desk.team, name="team"),
    path("tim/excel/", views_desk.team_excel, name="team_excel"),
    path("tim/catatan/<str:nip>/", views_desk.team_log, name="team_log"),
    path("foto/<int:record_id>/", views_desk.record_photo, name="record_photo"),
    path("tinjau/<int:record_id>/", views_desk.review, name="review"),
    path("laporan/<int:report_id>/<str:decision>/", views_desk.report_decide, name="report_decide"),
]
