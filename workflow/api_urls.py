from django.urls import path

from . import api, api_tasks

urlpatterns = [
    path("requests/", api.RequestSubmitApi.as_view(), name="api-request-submit"),
    path("requests/<str:number>/", api.RequestDetailApi.as_view(), name="api-request-detail"),
    path(
        "requests/<str:number>/resubmit/",
        api.RequestResubmitApi.as_view(),
        name="api-request-resubmit",
    ),
    path(
        "requests/<str:number>/cancel/", api.RequestCancelApi.as_view(), name="api-request-cancel"
    ),
    path(
        "requests/<str:number>/result/", api.RequestResultApi.as_view(), name="api-request-result"
    ),
    path(
        "requests/<str:number>/documents/<int:document_id>/",
        api.RequestDocumentApi.as_view(),
        name="api-request-document",
    ),
    path("tasks/", api_tasks.TaskListApi.as_view(), name="api-task-list"),
    path("tasks/<int:task_id>/claim/", api_tasks.TaskClaimApi.as_view(), name="api-task-claim"),
    path(
        "tasks/<int:task_id>/release/", api_tasks.TaskReleaseApi.as_view(), name="api-task-release"
    ),
    path("tasks/<int:task_id>/assign/", api_tasks.TaskAssignApi.as_view(), name="api-task-assign"),
    path(
        "tasks/<int:task_id>/complete/",
        api_tasks.TaskCompleteApi.as_view(),
        name="api-task-complete",
    ),
]
