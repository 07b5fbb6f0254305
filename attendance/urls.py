from django.urls import path

from . import views

app_name = "attendance"

urlpatterns = [
    path("", views.check_in, name="check_in"),
    path("wajah/", views.face, name="face"),
    path("wajah/hapus/", views.face_delete, name="face_delete"),
    path("rekap/", views.my_recap, name="my_recap"),
    path("catatan/", views.daily_log, name="daily_log"),
    path("catatan/<int:entry_id>/hapus/", views.daily_log_delete, name="daily_log_delete"),
    path("catatan/laporan/", views.report_submit, name="report_submit"),
    path("tim/", views.team, name="team"),
    path("tim/excel/", views.team_excel, name="team_excel"),
    path("tim/catatan/<str:nip>/", views.team_log, name="team_log"),
    path("foto/<int:record_id>/", views.record_photo, name="record_photo"),
    path("tinjau/<int:record_id>/", views.review, name="review"),
    path("laporan/<int:report_id>/<str:decision>/", views.report_decide, name="report_decide"),
]
