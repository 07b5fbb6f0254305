from django.urls import path

from . import api, api_daily_log

urlpatterns = [
    path("attendance/", api.AttendanceApi.as_view(), name="api-attendance"),
    path("attendance/face/", api.FaceApi.as_view(), name="api-attendance-face"),
    path(
        "attendance/records/<int:record_id>/photo/",
        api.RecordPhotoApi.as_view(),
        name="api-attendance-photo",
    ),
    path(
        "attendance/records/<int:record_id>/review/",
        api.RecordReviewApi.as_view(),
        name="api-attendance-review",
    ),
    path("daily-log/", api_daily_log.DailyLogApi.as_view(), name="api-daily-log"),
    path(
        "daily-log/<int:entry_id>/",
        api_daily_log.DailyLogDetailApi.as_view(),
        name="api-daily-log-entry",
    ),
    path("daily-log/reports/", api_daily_log.ReportListApi.as_view(), name="api-monthly-reports"),
    path(
        "daily-log/reports/<int:report_id>/approve/",
        api_daily_log.ReportDecisionApi.as_view(decision="approve"),
        name="api-monthly-report-approve",
    ),
    path(
        "daily-log/reports/<int:report_id>/return/",
        api_daily_log.ReportDecisionApi.as_view(decision="return"),
        name="api-monthly-report-return",
    ),
]
