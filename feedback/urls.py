from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("survei/<str:number>/", views.survey, name="survey"),
    path("ikm/", views.ikm_public, name="ikm"),
    path("pengaduan/", views.complaint_form, name="complaint-form"),
    path("pengaduan/<str:code>/", views.complaint_detail, name="complaint-detail"),
    path("staf/loket/survei/", views.counter_survey, name="counter-survey"),
    path("staf/loket/survei/<str:number>/", views.counter_survey_form, name="counter-survey-form"),
    path("staf/ikm/", views.staff_ikm, name="staff-ikm"),
    path("staf/pengaduan/", views.staff_complaints, name="staff-complaints"),
    path("staf/pengaduan/<str:code>/", views.staff_complaint, name="staff-complaint"),
    path(
        "staf/pengaduan/<str:code>/jawab/",
        views.staff_complaint_answer,
        name="staff-complaint-answer",
    ),
    path(
        "staf/pengaduan/<str:code>/lapor/",
        views.staff_complaint_lapor,
        name="staff-complaint-lapor",
    ),
]
