from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle


class TokenView(ObtainAuthToken):
    """POST username/password -> {"token"}; rate-limited against password guessing."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


api_v1 = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("services_catalog.api_urls")),
    path("", include("workflow.api_urls")),
    path("", include("tracking.api_urls")),
    path("", include("skp.api_urls")),
    path("", include("documents.api_urls")),
    path("", include("feedback.api_urls")),
    path("", include("personnel.api_urls")),
    path("", include("attendance.api_urls")),
]

urlpatterns = [
    path("healthz/", lambda request: HttpResponse("ok", content_type="text/plain")),
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
    path("staf/", include("workflow.urls")),
    path("", include("tracking.urls")),
]
