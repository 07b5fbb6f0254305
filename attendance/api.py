"""Attendance API (CONTRACT.md §7 "Employees' daily work"): thin views
that parse, check and call one service or selector."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from config.ratelimit import ScopeThrottle
from skp.selectors import employee_required

from . import selectors, services
from .api_daily_log import month_param
from .models import AttendanceRecord

# --- output --------------------------------------------------------------------------------


class AttendanceThrottle(ScopeThrottle):
    """Check-ins per employee (ATTENDANCE_RATE_LIMIT), the project's one mechanism."""

    scope = "attendance"


class AttendanceCheckOutput(serializers.ModelSerializer):
    class Meta:
        model = AttendanceRecord
        fields = [
            "id",
            "kind",
            "at",
            "within_geofence",
            "face_match",
            "status",
            "flags",
            "distance_m",
            "accuracy_m",
            "location_name",
        ]


def _time(record) -> str | None:
    return timezone.localtime(record.at).isoformat() if record else None


def day_json(day) -> dict:
    return {
        "date": day.date.isoformat(),
        "in": _time(day.check_in),
        "out": _time(day.check_out),
        "status": day.status,
        "late": day.late,
        "early": day.early,
        "note": day.off_reason or (day.absence.get_kind_display() if day.absence else ""),
    }


def employee_month_json(em) -> dict:
    return {
        "employee": {"nip": em.employee.nip, "name": em.employee.name},
        "counts": em.counts,
        "days": [day_json(d) for d in em.days],
    }


# --- input ---------------------------------------------------------------------------------


class AttendanceCheckInput(serializers.Serializer):
    kind = serializers.CharField()
    latitude = serializers.CharField()
    longitude = serializers.CharField()
    accuracy = serializers.CharField()
    photo = serializers.FileField(required=False)
    captured_at = serializers.CharField(
        required=False, help_text="the device's time of the GPS fix (ISO 8601), for replay checks"
    )


class FaceInput(serializers.Serializer):
    photo = serializers.FileField(required=False)
    consent = serializers.BooleanField(default=False)


class AttendanceReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "reject"])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


# --- attendance ----------------------------------------------------------------------------


class AttendanceApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    def get_throttles(self):
        return [AttendanceThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        operation_id="attendance_recap",
        parameters=[
            OpenApiParameter("month", description="YYYY-MM (default: this month)"),
            OpenApiParameter("unit", description="a unit code: the team's recap (superior, HR)"),
            OpenApiParameter("office", description="office code, when the unit code is ambiguous"),
        ],
        responses=inline_serializer("AttendanceRecap", {"month": serializers.CharField()}),
        description="Per day: in, out, status (present, late, early, absent, leave, flagged; "
        "off for non-working days, null for days to come) and the month's counts.",
    )
    def get(self, request):
        year, month = month_param(request.query_params.get("month"))
        today = timezone.localdate()
        code = request.query_params.get("unit")
        if code:
            unit = selectors.unit_for(
                user=request.user,
                code=code,
                office_code=request.query_params.get("office"),
                on=today,
            )
            if unit is None:
                raise NotFound()
            team = selectors.team_of(user=request.user, unit=unit, on=today)
            recap = selectors.month_recap(employees=team, year=year, month=month)
            return Response(
                {
                    "month": f"{year}-{month:02d}",
                    "unit": {"code": unit.code, "name": unit.name, "office": unit.office.code},
                    "employees": [employee_month_json(em) for em in recap],
                }
            )
        employee = employee_required(request.user)
        [em] = selectors.month_recap(employees=[employee], year=year, month=month)
        return Response({"month": f"{year}-{month:02d}", **employee_month_json(em)})

    @extend_schema(
        operation_id="attendance_check",
        request={"multipart/form-data": AttendanceCheckInput},
        responses={201: AttendanceCheckOutput},
    )
    def post(self, request):
        data = AttendanceCheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        client_time = None
        if v.get("captured_at"):
            client_time = parse_datetime(v["captured_at"])
            if client_time is None or client_time.tzinfo is None:
                raise ValidationError({"captured_at": [_("Use ISO 8601 with a time zone.")]})
        record = services.attendance_check(
            user=request.user,
            kind=v["kind"],
            latitude=v["latitude"],
            longitude=v["longitude"],
            accuracy=v["accuracy"],
            photo=v.get("photo"),
            client_time=client_time,
        )
        return Response(AttendanceCheckOutput(record).data, status=status.HTTP_201_CREATED)


class FaceApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="attendance_face_status",
        responses=inline_serializer(
            "FaceStatus",
            {
                "enrolled": serializers.BooleanField(),
                "consented_at": serializers.DateTimeField(allow_null=True),
                "consent_text": serializers.CharField(),
            },
        ),
    )
    def get(self, request):
        enrolment = selectors.enrolment_of(employee_required(request.user))
        return Response(
            {
                "enrolled": enrolment is not None,
                "consented_at": enrolment.consented_at if enrolment else None,
                "consent_text": enrolment.consent_text if enrolment else services.consent_text(),
            }
        )

    @extend_schema(
        operation_id="attendance_face_enrol",
        request={"multipart/form-data": FaceInput},
        responses={201: None},
    )
    def post(self, request):
        data = FaceInput(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = services.face_enrol(
            user=request.user,
            photo=data.validated_data.get("photo"),
            consent=data.validated_data["consent"],
        )
        return Response(
            {
                "enrolled": True,
                "consented_at": enrolment.consented_at,
                "consent_text": enrolment.consent_text,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(operation_id="attendance_face_delete", responses={204: None})
    def delete(self, request):
        services.face_enrolment_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def record_visible(user, record_id) -> AttendanceRecord:
    """The record, for its employee, their superior of the day and HR; else 404."""
    record = get_object_or_404(AttendanceRecord.objects.select_related("employee"), pk=record_id)
    me = selectors.employee_for_user(user)
    if (me and me.pk == record.employee_id) or selectors.may_oversee(
        user=user, employee=record.employee, on=timezone.localdate()
    ):
        return record
    raise NotFound()


class RecordPhotoApi(APIView):
    @extend_schema(operation_id="attendance_photo", responses={(200, "image/jpeg"): bytes})
    def get(self, request, record_id):
        record = record_visible(request.user, record_id)
        if not record.photo:
            raise NotFound(_("The photo was deleted after the retention period."))
        response = FileResponse(record.photo.open("rb"), content_type="image/jpeg")
        response["Cache-Control"] = "private, no-store"
        return response


class RecordReviewApi(APIView):
    @extend_schema(
        operation_id="attendance_review",
        request=AttendanceReviewInput,
        responses={200: AttendanceCheckOutput},
    )
    def post(self, request, record_id):
        record = record_visible(request.user, record_id)
        data = AttendanceReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.attendance_review(
            record=record,
            user=request.user,
            accept=data.validated_data["decision"] == "accept",
            note=data.validated_data["note"],
        )
        return Response(AttendanceCheckOutput(record).data)
