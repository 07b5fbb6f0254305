from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config.tokens import TokenView
from core.health import ReadinessView, healthz

api_v1 = [
    # First: the public lookup is the most asked path, and resolving walks the list.
    path("", include("tracking.api_urls")),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("services_catalog.api_urls")),
    path("", include("workflow.api_urls")),
    path("", include("skp.api_urls")),
    path("", include("documents.api_urls")),
    path("", include("feedback.api_urls")),
    path("", include("personnel.api_urls")),
    path("", include("attendance.api_urls")),
]

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("readyz/", ReadinessView.as_view(), name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("webhooks/", include("notifications.urls")),
    path("open311/v2/", include("open311.urls")),
    path("staf/masuk/", auth_views.LoginView.as_view(), name="login"),
    path("staf/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("staf/skp/", include("skp.urls")),
    path("staf/akun/", include("accounts.urls")),
    path("staf/presensi/", include("attendance.urls")),
    path("staf/pesan/", include("notifications.staff_urls")),
    path("", include("documents.urls")),
    path("", include("feedback.urls")),
    path("staf/kepegawaian/", include("personnel.urls")),
    path("staf/dasbor/", include("dashboard.urls")),
    path("staf/", include("workflow.urls")),
    path("", include("tracking.urls")),
]

# Alur's own error answers (JSON under /api/); a database outage is a 503 (core/views.py).
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
