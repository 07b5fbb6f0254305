"""API routes of the year's work and evaluation (CONTRACT.md 7), under /api/v1/."""

from django.urls import path, register_converter

from . import api_evaluation as ev
from . import api_lock as lk
from . import api_realisation as ra


class PeriodConverter:
    regex = r"[0-9]{4}(?:-(?:[0-9]{2}|Q[1-4]|S[12]))?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(PeriodConverter, "period")

urlpatterns = [
    path(
        "skp/<int:skp_id>/rencana-aksi/", ra.RencanaAksiApi.as_view(), name="api-skp-rencana-aksi"
    ),
    path(
        "skp/<int:skp_id>/rencana-aksi/<int:ra_id>/",
        ra.RencanaAksiDetailApi.as_view(),
        name="api-skp-rencana-aksi-detail",
    ),
    path(
        "skp/<int:skp_id>/rencana-aksi/<int:ra_id>/bukti-dukung/",
        ra.BuktiDukungCreateApi.as_view(),
        name="api-skp-bukti-dukung",
    ),
    path(
        "skp/<int:skp_id>/rencana-aksi/<int:ra_id>/bukti-dukung/<int:bd_id>/",
        ra.BuktiDukungDetailApi.as_view(),
        name="api-skp-bukti-dukung-detail",
    ),
    path("skp/<int:skp_id>/feedback/", ra.FeedbackApi.as_view(), name="api-skp-feedback"),
    path(
        "skp/<int:skp_id>/evaluations/", ev.EvaluationListApi.as_view(), name="api-skp-evaluations"
    ),
    path(
        "skp/<int:skp_id>/evaluations/<period:period>/submit/",
        ev.EvaluationSubmitApi.as_view(),
        name="api-skp-evaluation-submit",
    ),
    path(
        "skp/<int:skp_id>/evaluations/<period:period>/return/",
        ev.EvaluationReturnApi.as_view(),
        name="api-skp-evaluation-return",
    ),
    path(
        "skp/<int:skp_id>/evaluations/<period:period>/rate/",
        ev.EvaluationRateApi.as_view(),
        name="api-skp-evaluation-rate",
    ),
    path(
        "skp/<int:skp_id>/evaluations/<period:period>/pdf/",
        ev.EvaluationPdfApi.as_view(),
        name="api-skp-evaluation-pdf",
    ),
    path("evaluations/to-rate/", ev.EvaluationsToRateApi.as_view(), name="api-evaluations-to-rate"),
    path("predikat-report/", ev.PredikatReportApi.as_view(), name="api-predikat-report"),
    path(
        "predikat-report/xlsx/", ev.PredikatReportXlsxApi.as_view(), name="api-predikat-report-xlsx"
    ),
    path(
        "predikat-report/finalise/", ev.PredikatFinaliseApi.as_view(), name="api-predikat-finalise"
    ),
    path("organisation-grades/", ev.OrganisationGradeApi.as_view(), name="api-organisation-grades"),
    path("period-locks/", lk.PeriodLockListApi.as_view(), name="api-period-locks"),
    path(
        "period-locks/<int:lock_id>/unlock/", lk.PeriodUnlockApi.as_view(), name="api-period-unlock"
    ),
    path("allowance-export/", lk.AllowanceExportApi.as_view(), name="api-allowance-export"),
    path("siasn/skp22/", lk.SiasnSkp22Api.as_view(), name="api-siasn-skp22"),
]
