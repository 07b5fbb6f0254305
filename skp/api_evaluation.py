"""API of evaluation (CONTRACT.md 7): an SKP's periods and their transitions, the
pejabat penilai's list, the unit's Laporan Predikat Kinerja with grade and finalisation,
payment-period locks, and the exports (PDF, Excel, SIASN JSON)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from config.exceptions import ApplicationError
from config.exceptions import NotFound as AppNotFound
from organization.models import Office

from . import exports, selectors_evaluation, services_evaluation, services_lock
from .api_realisation import visible_skp
from .models import Skp
from .models_evaluation import Evaluation
from .models_lock import PeriodLock
from .pdf_evaluation import render_evaluation_pdf
from .rules import OrganisationGrade, Predikat, period_parse
from .selectors_realisation import allowance_offices, capaian_of_months, is_allowance_admin

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


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RateInput(serializers.Serializer):
    rating_hasil_kerja = serializers.ChoiceField(choices=[1, 2, 3])
    rating_perilaku = serializers.ChoiceField(choices=[1, 2, 3])
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
        operation_id="skp_evaluation_return", request=NoteInput, responses=OpenApiTypes.OBJECT
    )
    def post(self, request, skp_id, period):
        data = NoteInput(data=request.data)
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
    period = period_parse(params.get("period", ""))
    if period is None:
        raise ValidationError({"period": [_("Give a period: YYYY-MM, YYYY-Qn, YYYY-Sn or YYYY.")]})
    return unit, period


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


# --- locks -------------------------------------------------------------------------------------


def lock_data(lock: PeriodLock) -> dict:
    return {
        "id": lock.pk,
        "office": lock.office.code,
        "year": lock.year,
        "month": lock.month,
        "status": lock.status,
        "payment_ref": lock.payment_ref,
        "locked_at": lock.locked_at and timezone.localtime(lock.locked_at).isoformat(),
        "locked_by": lock.locked_by.get_username() if lock.locked_by else None,
        "reason": lock.reason,
    }


class LockInput(serializers.Serializer):
    office = serializers.CharField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(required=False, min_value=1, max_value=12)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    payment_ref = serializers.CharField(required=False, allow_blank=True, max_length=100)


def _office(code) -> Office:
    office = Office.objects.filter(code=code).first()
    if office is None:
        raise ValidationError({"office": [_("Unknown office.")]})
    return office


class PeriodLockListApi(APIView):
    @extend_schema(
        operation_id="period_locks",
        parameters=[OpenApiParameter("office", str), OpenApiParameter("year", int)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        qs = PeriodLock.objects.select_related("office", "locked_by")
        if not request.user.is_superuser:
            offices = [o.pk for o in allowance_offices(user=request.user)]
            qs = qs.filter(office_id__in=offices) | qs.filter(office__parent_id__in=offices)
        if request.query_params.get("office"):
            qs = qs.filter(office__code=request.query_params["office"])
        if (request.query_params.get("year") or "").isdigit():
            qs = qs.filter(year=int(request.query_params["year"]))
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs.order_by("office__code", "year", "month"), request)
        return paginator.get_paginated_response([lock_data(lock) for lock in page])

    @extend_schema(
        operation_id="period_lock_create", request=LockInput, responses={201: OpenApiTypes.OBJECT}
    )
    def post(self, request):
        data = LockInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        locks = services_lock.period_lock(
            user=request.user,
            office=_office(v["office"]),
            year=v["year"],
            month=v.get("month"),
            quarter=v.get("quarter"),
            payment_ref=v.get("payment_ref", ""),
        )
        return Response(
            {"locks": [lock_data(lock) for lock in locks]}, status=status.HTTP_201_CREATED
        )


class UnlockInput(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class PeriodUnlockApi(APIView):
    @extend_schema(
        operation_id="period_lock_unlock", request=UnlockInput, responses=OpenApiTypes.OBJECT
    )
    def post(self, request, lock_id):
        lock = get_object_or_404(PeriodLock.objects.select_related("office"), pk=lock_id)
        data = UnlockInput(data=request.data)
        data.is_valid(raise_exception=True)
        lock = services_lock.period_unlock(
            user=request.user, lock=lock, reason=data.validated_data["reason"]
        )
        return Response(lock_data(lock))


# --- exports -----------------------------------------------------------------------------------


def _export_office(request) -> Office:
    office = _office(request.query_params.get("office"))
    if not (
        request.user.is_superuser or is_allowance_admin(user=request.user, office_id=office.pk)
    ):
        raise PermissionDenied(_("Only the office's allowance administrators export its figures."))
    return office


def _year(request) -> int:
    raw = request.query_params.get("year", "")
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
    return int(raw)


class AllowanceExportApi(APIView):
    @extend_schema(
        operation_id="allowance_export",
        parameters=[
            OpenApiParameter("office", str, required=True),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("month", int),
            OpenApiParameter("quarter", int),
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request):
        office, year = _export_office(request), _year(request)
        try:
            months = services_lock.months_of(
                month=_int_or_none(request.query_params.get("month")),
                quarter=_int_or_none(request.query_params.get("quarter")),
            )
        except ValueError:
            raise ValidationError({"month": [_("Enter whole numbers.")]}) from None
        content = exports.allowance_xlsx(office=office, year=year, months=months)
        response = HttpResponse(content, content_type=XLSX)
        label = "-".join(f"{m:02d}" for m in months)
        response["Content-Disposition"] = (
            f'attachment; filename="Tunjangan-{office.code}-{year}-{label}.xlsx"'
        )
        return response


def _int_or_none(raw):
    return None if raw in (None, "") else int(raw)


class SiasnSkp22Api(APIView):
    @extend_schema(
        operation_id="siasn_skp22_export",
        parameters=[
            OpenApiParameter("office", str, required=True),
            OpenApiParameter("year", int, required=True),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        office, year = _export_office(request), _year(request)
        return Response(exports.siasn_skp22(office=office, year=year))
