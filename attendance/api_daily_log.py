"""Daily-log and monthly-report API (CONTRACT.md §7 "Employees' daily work"): thin views
that parse, check and call one service or selector."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from config.openapi import page_of
from skp.selectors import employee_required

from . import selectors, services
from .models import DailyLogEntry, MonthlyReport


class DailyLogOutput(serializers.ModelSerializer):
    evidence_file = serializers.SerializerMethodField()
    rencana_aksi_text = serializers.SerializerMethodField()

    class Meta:
        model = DailyLogEntry
        fields = [
            "id",
            "date",
            "start",
            "end",
            "activity",
            "quantity",
            "unit",
            "evidence_url",
            "evidence_file",
            "rencana_aksi",
            "rencana_aksi_text",
        ]

    def get_evidence_file(self, entry) -> bool:
        return bool(entry.evidence_file)

    def get_rencana_aksi_text(self, entry) -> str | None:
        return entry.rencana_aksi.text if entry.rencana_aksi_id else None


class PlanSnapshot(serializers.Serializer):
    """One rencana aksi of the month as it stood when the report was submitted."""

    id = serializers.IntegerField()
    rhk = serializers.CharField()
    text = serializers.CharField()
    target = serializers.CharField()
    unit = serializers.CharField()
    realisasi = serializers.CharField(allow_null=True)
    capaian = serializers.CharField()
    entries = serializers.IntegerField()


class MonthlyReportOutput(serializers.ModelSerializer):
    rencana_aksi = PlanSnapshot(source="plans", many=True, read_only=True)
    month = serializers.SerializerMethodField()
    employee = serializers.SerializerMethodField()
    total_hours = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "month",
            "employee",
            "status",
            "total_days",
            "total_hours",
            "entry_count",
            "present_days",
            "working_days",
            "capaian_persen",
            "rencana_aksi",
            "submitted_at",
            "decided_as",
            "decided_at",
            "note",
        ]

    def get_month(self, report) -> str:
        return f"{report.year}-{report.month:02d}"

    def get_employee(self, report) -> dict:
        return {"nip": report.employee.nip, "name": report.employee.name}

    def get_total_hours(self, report) -> float:
        return round(report.total_minutes / 60, 2)


class DailyLogInput(serializers.Serializer):
    date = serializers.DateField()
    start = serializers.TimeField()
    end = serializers.TimeField()
    activity = serializers.CharField(max_length=2000)
    quantity = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    unit = serializers.CharField(max_length=50, required=False, allow_blank=True)
    evidence_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    evidence_file = serializers.FileField(required=False)
    rencana_aksi = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="id of one of the month's rencana aksi of the employee's approved SKP",
    )


class ReportNoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


def month_param(value) -> tuple[int, int]:
    """(year, month) of a "YYYY-MM" parameter (None: this month); a 400 otherwise."""
    try:
        return selectors.parse_month(value)
    except ValueError:
        raise ValidationError({"month": [_("Use YYYY-MM.")]}) from None


# --- daily log -----------------------------------------------------------------------------


class DailyLogApi(APIView):
    # the default parsers: config.parsers.StrictJSONParser, form and multipart

    @extend_schema(
        operation_id="daily_log_list",
        parameters=[
            OpenApiParameter("month", description="YYYY-MM (default: this month)"),
            OpenApiParameter("employee", description="NIP of a team member (superior, HR)"),
        ],
        responses=page_of("DailyLogPage", DailyLogOutput(many=True)),
    )
    def get(self, request):
        year, month = month_param(request.query_params.get("month"))
        nip = request.query_params.get("employee")
        if nip:
            from organization.models import Employee

            employee = Employee.objects.filter(nip=nip).first()
            if employee is None or not selectors.may_oversee(
                user=request.user, employee=employee, on=timezone.localdate()
            ):
                raise NotFound()
        else:
            employee = employee_required(request.user)
        entries = selectors.daily_log(employee=employee, year=year, month=month)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(entries, request, view=self)
        return paginator.get_paginated_response(DailyLogOutput(page, many=True).data)

    @extend_schema(
        operation_id="daily_log_create", request=DailyLogInput, responses={201: DailyLogOutput}
    )
    def post(self, request):
        data = DailyLogInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        evidence = values.pop("evidence_file", None)
        entry = services.daily_log_create(user=request.user, data=values, evidence_file=evidence)
        return Response(DailyLogOutput(entry).data, status=status.HTTP_201_CREATED)


class DailyLogDetailApi(APIView):
    @extend_schema(
        operation_id="daily_log_update",
        request=DailyLogInput(partial=True),
        responses={200: DailyLogOutput},
    )
    def patch(self, request, entry_id):
        employee = employee_required(request.user)
        entry = get_object_or_404(DailyLogEntry, pk=entry_id, employee=employee)
        data = DailyLogInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        evidence = values.pop("evidence_file", None)
        entry = services.daily_log_update(
            user=request.user, entry=entry, data=values, evidence_file=evidence
        )
        return Response(DailyLogOutput(entry).data)

    @extend_schema(operation_id="daily_log_delete", responses={204: None})
    def delete(self, request, entry_id):
        employee = employee_required(request.user)
        entry = get_object_or_404(DailyLogEntry, pk=entry_id, employee=employee)
        services.daily_log_delete(user=request.user, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReportListApi(APIView):
    @extend_schema(
        operation_id="monthly_report_list",
        parameters=[OpenApiParameter("scope", enum=["mine", "to_review"], default="mine")],
        responses=page_of("MonthlyReportPage", MonthlyReportOutput(many=True)),
    )
    def get(self, request):
        if request.query_params.get("scope") == "to_review":
            reports = selectors.reports_to_review(user=request.user, on=timezone.localdate())
        else:
            reports = MonthlyReport.objects.filter(
                employee=employee_required(request.user)
            ).select_related("employee")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(reports, request, view=self)
        return paginator.get_paginated_response(MonthlyReportOutput(page, many=True).data)

    @extend_schema(
        operation_id="monthly_report_submit",
        request=inline_serializer("ReportSubmit", {"month": serializers.CharField()}),
        responses={201: MonthlyReportOutput},
    )
    def post(self, request):
        year, month = month_param(str(request.data.get("month") or "x"))
        report = services.monthly_report_submit(user=request.user, year=year, month=month)
        return Response(MonthlyReportOutput(report).data, status=status.HTTP_201_CREATED)


class ReportDecisionApi(APIView):
    decision = "approve"

    @extend_schema(request=ReportNoteInput, responses={200: MonthlyReportOutput})
    def post(self, request, report_id):
        report = get_object_or_404(MonthlyReport.objects.select_related("employee"), pk=report_id)
        me = selectors.employee_for_user(request.user)
        if not (me and me.pk == report.employee_id) and not selectors.may_oversee(
            user=request.user, employee=report.employee, on=timezone.localdate()
        ):
            raise NotFound()
        data = ReportNoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = (
            services.monthly_report_approve
            if self.decision == "approve"
            else services.monthly_report_return
        )
        report = action(report=report, user=request.user, note=data.validated_data["note"])
        return Response(MonthlyReportOutput(report).data)
