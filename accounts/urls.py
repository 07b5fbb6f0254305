from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.bulk_accounts, name="bulk"),
    path("sandi/", views.password_change, name="password_change"),
]
