from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="page"),
    path("laporan.pdf", views.report_pdf_download, name="pdf"),
    path("laporan.xlsx", views.report_xlsx_download, name="xlsx"),
]
