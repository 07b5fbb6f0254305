from django.urls import path

from . import views, views_queue

urlpatterns = [
    path("", views_queue.task_list, name="staff-tasks"),
    path("tugas/massal/", views_queue.task_bulk, name="staff-task-bulk"),
    path("ekspor.csv", views_queue.queue_export, {"fmt": "csv"}, name="staff-export-csv"),
    path("ekspor.xlsx", views_queue.queue_export, {"fmt": "xlsx"}, name="staff-export-xlsx"),
    path("permohonan/<str:number>/", views.request_detail, name="staff-request"),
    path(
        "permohonan/<str:number>/dokumen/<int:document_id>/",
        views.document_download,
        name="staff-document",
    ),
    path("permohonan/<str:number>/hasil/", views.result_download, name="staff-result"),
    path("tugas/<int:task_id>/ambil/", views.task_claim, name="staff-task-claim"),
    path("tugas/<int:task_id>/lepas/", views.task_release, name="staff-task-release"),
    path("tugas/<int:task_id>/tugaskan/", views.task_assign, name="staff-task-assign"),
    path("tugas/<int:task_id>/selesaikan/", views.task_complete, name="staff-task-complete"),
]
