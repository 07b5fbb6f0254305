"""Survey, IKM and complaint API (CONTRACT.md section 7, "After the result")."""

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound, ParseError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.exceptions import ApplicationError
from config.ratelimit import SubmitThrottle
from organization.models import Office, Unit
from services_catalog.models import ServiceType
from workflow import selectors as workflow_selectors
from workflow.api_serializers import ErrorOutput

from . import selectors, services
from .links import complaint_access_url
from .throttles import ComplaintThrottle

# The one error shape of the API (`{"detail"}` or errors by field, CONTRACT.md).
_ERROR = ErrorOutput


class SurveyInputSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.IntegerField(min_value=1, max_value=4))
    comment = serializers.CharField(required=False, allow_blank=True)


class SurveyApi(APIView):
    """The applicant's satisfaction survey for a completed request, once (409 after)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [SubmitThrottle]

    @extend_schema(
        request=SurveyInputSerializer,
        parameters=[OpenApiParameter("X-Access-Token", str, OpenApiParameter.HEADER)],
        responses={
            201: inline_serializer(
                "SurveyCreated",
                {"answered_on": serializers.DateField(), "channel": serializers.CharField()},
            ),
            400: _ERROR,
            404: _ERROR,
            409: _ERROR,
        },
        summary="Answer the satisfaction survey (SKM) of a completed request",
    )
    def post(self, request, number):
        try:
            service_request = workflow_selectors.request_for_applicant(
                number, request.headers.get("X-Access-Token", "")
            )
        except ApplicationError:
            raise NotFound() from None
        body = request.data if isinstance(request.data, dict) else None
        if body is None:
            raise ParseError(_("Send a JSON object."))
        response = services.survey_submit(
            request=service_request,
            answers=body.get("answers"),
            comment=body.get("comment") or "",
        )
        return Response(
            {"answered_on": response.answered_on, "channel": response.channel},
            status=status.HTTP_201_CREATED,
        )


def _date_param(request, name):
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ApplicationError(field_errors={name: [_("Use the form YYYY-MM-DD.")]}) from None


def _by_code(model, request, name, **extra):
    code = request.query_params.get(name)
    if not code:
        return None
    found = model.objects.filter(code=code, **extra).first()
    if found is None:
        raise ApplicationError(field_errors={name: [_("Unknown code.")]})
    return found


class IkmOutputSerializer(serializers.Serializer):
    respondents = serializers.IntegerField()
    nrr = serializers.DictField(child=serializers.DecimalField(20, 4, allow_null=True))
    ikm = serializers.DecimalField(5, 2, allow_null=True, coerce_to_string=False)
    mutu = serializers.CharField(allow_null=True)
    kinerja = serializers.CharField(allow_null=True)


class IkmApi(APIView):
    """The IKM (DOMAIN.md section 9) of an office, service or unit over a period. Public:
    aggregates only."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("office", str, description="office code"),
            OpenApiParameter("service", str, description="service code"),
            OpenApiParameter("unit", str, description="unit code (with office)"),
            OpenApiParameter("from", datetime.date),
            OpenApiParameter("to", datetime.date),
        ],
        responses={200: IkmOutputSerializer, 400: _ERROR},
        summary="Community satisfaction index (IKM)",
    )
    def get(self, request):
        office = _by_code(Office, request, "office")
        service = _by_code(ServiceType, request, "service")
        unit = None
        if request.query_params.get("unit"):
            if office is None:
                raise ApplicationError(field_errors={"unit": [_("Give the office too.")]})
            unit = _by_code(Unit, request, "unit", office=office)
        start, end = _date_param(request, "from"), _date_param(request, "to")
        if start and end and start > end:
            raise ApplicationError(field_errors={"from": [_("'from' is after 'to'.")]})
        figures = selectors.ikm_summary(
            office=office, service=service, unit=unit, start=start, end=end
        )
        body = {
            **figures,
            "nrr": {
                code: float(round(value, 4)) if value is not None else None
                for code, value in figures["nrr"].items()
            },
            "ikm": float(figures["ikm"]) if figures["ikm"] is not None else None,
        }
        return Response(body)


class ComplaintInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    anonymous = serializers.BooleanField(default=False)
    confidential = serializers.BooleanField(default=False)
    contact = serializers.CharField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True)
    registration_number = serializers.CharField(required=False, allow_blank=True)
    office = serializers.CharField(required=False, allow_blank=True)
    service = serializers.CharField(required=False, allow_blank=True)


def complaint_public(complaint) -> dict:
    """What the complainant sees (and staff, minus the reporter when anonymous)."""
    return {
        "tracking_code": complaint.tracking_code,
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "office": {"code": complaint.office.code, "name": complaint.office.name},
        "received_at": complaint.received_at,
        "due_date": complaint.due_date,
        "text": complaint.text,
        "anonymous": complaint.anonymous,
        "confidential": complaint.confidential,
        "answers": [{"at": a.at, "text": a.text} for a in complaint.answers.all()],
        "lapor": _lapor(complaint),
    }


def _lapor(complaint):
    handoff = getattr(complaint, "lapor", None)
    if handoff is None:
        return None
    return {
        "tracking_id": handoff.tracking_id or None,
        "status": handoff.status,
        "sent_on": handoff.sent_on,
        "forwarded_on": handoff.forwarded_on,
        "followed_up_on": handoff.followed_up_on,
        "closed_on": handoff.closed_on,
    }


class ComplaintListApi(APIView):
    """POST: file a complaint (public). GET: the complaints of my complaint units (staff)."""

    permission_classes = [AllowAny]
    serializer_class = ComplaintInputSerializer

    def get_throttles(self):
        return [ComplaintThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        request=ComplaintInputSerializer,
        responses={
            201: inline_serializer(
                "ComplaintCreated",
                {
                    "tracking_code": serializers.CharField(),
                    "access_token": serializers.CharField(),
                    "status": serializers.CharField(),
                    "due_date": serializers.DateField(),
                    "tracking_url": serializers.URLField(),
                },
            ),
            400: _ERROR,
            429: _ERROR,
        },
        summary="File a complaint (pengaduan)",
    )
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else None
        if body is None:
            raise ParseError(_("Send a JSON object."))
        complaint = services.complaint_submit(
            text=body.get("text"),
            anonymous=body.get("anonymous", False),
            confidential=body.get("confidential", False),
            contact=body.get("contact") or "",
            name=body.get("name") or "",
            registration_number=body.get("registration_number") or "",
            office_code=body.get("office") or "",
            service_code=body.get("service") or "",
        )
        return Response(
            {
                "tracking_code": complaint.tracking_code,
                "access_token": complaint.access_token,
                "status": complaint.status,
                "due_date": complaint.due_date,
                "tracking_url": complaint_access_url(complaint),
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        operation_id="complaints_list",
        responses={200: dict, 401: _ERROR},
        summary="Complaints of my complaint units (staff)",
    )
    def get(self, request):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        rows = selectors.complaints_for_staff(request.user).prefetch_related("answers")[:200]
        results = [
            {**complaint_public(c), "reporter": selectors.reporter_view(c, show_reporter=True)}
            for c in rows
        ]
        return Response({"count": len(results), "next": None, "previous": None, "results": results})


class ComplaintDetailApi(APIView):
    """The complainant's complaint (X-Access-Token), or a complaint of my units (staff)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("X-Access-Token", str, OpenApiParameter.HEADER)],
        responses={200: dict, 404: _ERROR},
        summary="A complaint's status and answers",
    )
    def get(self, request, code):
        token = request.headers.get("X-Access-Token")
        if token:
            complaint = selectors.complaint_for_reporter(code, token)
            if complaint is None:
                raise NotFound()
            return Response(complaint_public(complaint))
        complaint = (
            selectors.complaint_for_staff(request.user, code)
            if request.user.is_authenticated
            else None
        )
        if complaint is None:
            raise NotFound()
        return Response(
            {
                **complaint_public(complaint),
                "reporter": selectors.reporter_view(complaint, show_reporter=True),
            }
        )
