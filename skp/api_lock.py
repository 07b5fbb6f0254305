"""API of payment-period locks and the allowance/SIASN exports (CONTRACT.md 7,
DOMAIN.md 5 and 2.8). Thin views: parse, check, call one service, answer."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from organization.models import Office

from . import exports, services_lock
from .models_lock import PeriodLock
from .selectors_realisation import allowance_offices, is_allowance_admin

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
