"""API of evaluation (CONTRACT.md 7): an SKP's periods and their transitions, the
pejabat penilai's list, the unit's Laporan Predikat Kinerja with grade and finalisation,
payment-period locks, and the exports (PDF, Excel, SIASN JSON)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from config.exceptions import ApplicationError
from config.exceptions import NotFound as AppNotFound

from . import exports, selectors_evaluation, services_evaluation
from .api_realisation import visible_skp
from .models import Skp
from .models_evaluation import Evaluation
from .pdf_evaluation import render_evaluation_pdf
from .rules import OrganisationGrade, Predikat, Rating, period_parse
from .selectors_realisation import capaian_of_months

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def predikat_data(code) -> dict | None:
    return None if code is None else {"code": code, "label": str(Predikat(code).label)}


def evaluation_data(period, evaluation: Evaluation, *, capaian=None) -> dict:
    e = evaluation
    return {
        "period": period.code,
        "label": period.label,
        "kind": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "status": e.status,
        "status_label": str(e.get_status_display()),
        "submitted_at": e.submitted_at and timezone.localtime(e.submitted_at).isoformat(),
        "rated_at": e.rated_at and timezone.localtime(e.rated_at).isoformat(),
        "rating_hasil_kerja": e.rating_hasil_kerja,
        "rating_perilaku": e.rating_perilaku,
        "predikat": predikat_data(e.predikat),
        "note": e.note,
        "pejabat_penilai": {
            "name": e.penilai_name,
            "nip": e.penilai_nip,
            "position": e.penilai_position_name,
        }
        if e.penilai_name
        else None,
        "capaian": None if capaian is None else f"{capaian:.2f}",
    }


def _evaluation_response(skp_id, period_code) -> Response:
    skp = get_object_or_404(Skp.objects.select_related("position__unit"), pk=skp_id)
    for period, evaluation in selectors_evaluation.evaluations_of(skp=skp):
        if period.code == period_code:
            return Response(evaluation_data(period, evaluation))
    raise NotFound()


class EvaluationListApi(APIView):
    @extend_schema(operation_id="skp_evaluations", responses=OpenApiTypes.OBJECT)
    def get(self, request, skp_id):
        skp = visible_skp(request, skp_id)
        return Response(
            {
                "skp": skp.pk,
                "year": skp.year,
                "results": [
                    evaluation_data(p, e, capaian=capaian_of_months(skp=skp, months=p.months))
                    for p, e in selectors_evaluation.evaluations_of(skp=skp)
                ],
            }
        )


class EvaluationNoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        ref_name = "EvaluationNoteInput"  # skp.api has a NoteInput of its own


class RateInput(serializers.Serializer):
    rating_hasil_kerja = serializers.ChoiceField(choices=Rating.choices)
    rating_perilaku = serializers.ChoiceField(choices=Rating.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


def _skp(skp_id) -> Skp:
    return get_object_or_404(Skp.objects.select_related("position__unit"), pk=skp_id)


class EvaluationSubmitApi(APIView):
    @extend_schema(
        operation_id="skp_evaluation_submit", request=None, responses=OpenApiTypes.OBJECT
    )
    def post(self, request, skp_id, period):
        e = services_evaluation.evaluation_submit(
            skp=_skp(skp_id), user=request.user, period=period
        )
        return _evaluation_response(skp_id, e.period)


class EvaluationReturnApi(APIView):
    @extend_schema(
        operation_id="skp_evaluation_return",
        request=EvaluationNoteInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, skp_id, period):
        data = EvaluationNoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        e = services_evaluation.evaluation_return(
            skp=_skp(skp_id), user=request.user, period=period, note=data.validated_data["note"]
        )
        return _evaluation_response(skp_id, e.period)


class EvaluationRateApi(APIView):
    @extend_schema(
        operation_id="skp_evaluation_rate", request=RateInput, responses=OpenApiTypes.OBJECT
    )
    def post(self, request, skp_id, period):
        data = RateInput(data=request.data)
        data.is_valid(raise_exception=True)
        e = services_evaluation.evaluation_rate(
            skp=_skp(skp_id), user=request.user, period=period, **data.validated_data
        )
        return _evaluation_response(skp_id, e.period)


class EvaluationPdfApi(APIView):
    @extend_schema(
        operation_id="skp_evaluation_pdf",
        parameters=[OpenApiParameter("tanggal", OpenApiTypes.DATE)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request, skp_id, period):
        skp = visible_skp(request, skp_id)
        pdf = evaluation_pdf_response(skp, period, request.query_params.get("tanggal"))
        return pdf


def evaluation_pdf_response(skp: Skp, period_code: str, tanggal: str | None) -> HttpResponse:
    import datetime

    period = selectors_evaluation.skp_period(skp=skp, code=period_code)
    if period is None:
        raise AppNotFound()
    try:
        date = datetime.date.fromisoformat(tanggal) if tanggal else timezone.localdate()
    except ValueError:
        raise ApplicationError(
            field_errors={"tanggal": [_("Enter a date as YYYY-MM-DD.")]}
        ) from None
    pdf = render_evaluation_pdf(skp=skp, period=period, signed_on=date)
    response = HttpResponse(pdf, content_type="application/pdf")
    nip = skp.employee_nip or skp.employee.nip
    response["Content-Disposition"] = f'inline; filename="Evaluasi-{period.code}-{nip}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


class EvaluationsToRateApi(APIView):
    @extend_schema(operation_id="skp_evaluations_to_rate", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        qs, acted = selectors_evaluation.evaluations_to_rate(
            user=request.user, on=timezone.localdate()
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        results = []
        for e in page:
            p = period_parse(e.period)
            results.append(
                {
                    "skp": e.skp_id,
                    "employee": {"name": e.skp.employee.name, "nip": e.skp.employee.nip},
                    "position": e.skp.position.name,
                    "unit": e.skp.position.unit.name,
                    "acting_as": acted.get(e.skp.position.superior_id),
                    **evaluation_data(p, e),
                }
            )
        return paginator.get_paginated_response(results)


# --- the unit's report -----------------------------------------------------------------------


def _unit_and_period(params):
    unit = selectors_evaluation.unit_by_code(params.get("unit", ""), office=params.get("office"))
    if unit is False:
        raise ValidationError({"unit": [_("Several offices have that unit: write OFFICE.unit.")]})
    if unit is None:
        raise ValidationError({"unit": [_("Unknown unit.")]})
    # One of the office's periods of that year (its granularity), else 400 listing them.
    return unit, services_evaluation.unit_period(unit, params.get("period", ""))


def report_data(report) -> dict:
    return {
        "unit": {
            "code": report.unit.code,
            "office": report.unit.office.code,
            "name": report.unit.name,
        },
        "period": report.period.code,
        "organisation_grade": report.grade.grade if report.grade else None,
        "n": report.n,
        "counts": {str(k): v for k, v in report.counts.items()},
        "checks": [{"rule": c.rule, "ok": c.ok, "hard": c.hard} for c in report.checks],
        "ok": report.ok,
        "finalised": report.finalisation is not None,
        "override_reason": report.finalisation.override_reason if report.finalisation else "",
        "employees": [
            {
                "skp": row.skp.pk,
                "name": row.skp.employee.name,
                "nip": row.skp.employee.nip,
                "position": row.skp.position.name,
                "status": row.evaluation.status if row.evaluation else "open",
                "predikat": predikat_data(row.predikat),
            }
            for row in report.rows
        ],
    }


def _report_for(request):
    unit, period = _unit_and_period(request.query_params)
    if not selectors_evaluation.may_see_report(
        user=request.user, unit=unit, on=timezone.localdate()
    ):
        raise NotFound()
    return selectors_evaluation.predikat_report(unit=unit, period=period)


class PredikatReportApi(APIView):
    @extend_schema(
        operation_id="predikat_report",
        parameters=[
            OpenApiParameter("unit", str, required=True, description="OFFICE.unit or unit code"),
            OpenApiParameter("period", str, required=True),
            OpenApiParameter("office", str),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        return Response(report_data(_report_for(request)))


class PredikatReportXlsxApi(APIView):
    @extend_schema(
        operation_id="predikat_report_xlsx", responses={(200, XLSX): OpenApiTypes.BINARY}
    )
    def get(self, request):
        report = _report_for(request)
        response = HttpResponse(exports.predikat_report_xlsx(report), content_type=XLSX)
        name = f"Laporan-Predikat-{report.unit.office.code}-{report.unit.code}-{report.period.code}"
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class FinaliseInput(serializers.Serializer):
    unit = serializers.CharField()
    office = serializers.CharField(required=False)
    period = serializers.CharField()
    override_reason = serializers.CharField(required=False, allow_blank=True, default="")


class PredikatFinaliseApi(APIView):
    @extend_schema(
        operation_id="predikat_finalise", request=FinaliseInput, responses=OpenApiTypes.OBJECT
    )
    def post(self, request):
        data = FinaliseInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit, period = _unit_and_period(data.validated_data)
        services_evaluation.predikat_finalise(
            user=request.user,
            unit=unit,
            period=period.code,
            override_reason=data.validated_data["override_reason"],
        )
        report = selectors_evaluation.predikat_report(unit=unit, period=period)
        return Response(report_data(report))


class GradeInput(serializers.Serializer):
    unit = serializers.CharField()
    office = serializers.CharField(required=False)
    period = serializers.CharField()
    grade = serializers.ChoiceField(choices=OrganisationGrade.choices)


class OrganisationGradeApi(APIView):
    @extend_schema(
        operation_id="organisation_grade_set", request=GradeInput, responses=OpenApiTypes.OBJECT
    )
    def put(self, request):
        data = GradeInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit, period = _unit_and_period(data.validated_data)
        services_evaluation.unit_grade_set(
            user=request.user, unit=unit, period=period.code, grade=data.validated_data["grade"]
        )
        return Response(report_data(selectors_evaluation.predikat_report(unit=unit, period=period)))
