"""The workflow's HTTP API (CONTRACT.md section 3): thin views that parse, check who is
asking, call one service or selector, and render."""

import datetime

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, ParseError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.exceptions import ApplicationError, NotFound, PayloadTooLarge
from config.parsers import loads_object
from config.ratelimit import SubmitThrottle
from config.uploads import STORED_FILE_RESPONSES

from . import api_serializers as S
from . import downloads, roles, selectors, services
from .api_serializers import ERRORS
from .catalogue_copy import service_for_submission
from .idempotency import body_hash, run_once
from .links import request_status_url
from .models import RequestStatus, ServiceRequest

_datetime = serializers.DateTimeField()
_date = serializers.DateField()


ACCESS_TOKEN = OpenApiParameter(
    "X-Access-Token", str, OpenApiParameter.HEADER, description="The applicant's access token"
)


def dt(value, tz=None):
    """DRF's DateTimeField output (ISO 8601 in the current time zone, `tz` when the
    caller has it, "Z" for UTC), without the field's checks on every call (a tenth of a
    queue list's CPU)."""
    if not value:
        return None
    if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
        return _datetime.to_representation(value)
    try:
        text = value.astimezone(tz or timezone.get_current_timezone()).isoformat()
    except OverflowError:  # DRF's own error for it
        return _datetime.to_representation(value)
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def d(value):
    return _date.to_representation(value) if value else None


def status_label(status: str) -> str:
    return str(dict(RequestStatus.choices).get(status, status))


def step_ref(step):
    return {"order": step.order, "name": step.name} if step is not None else None


def submission_response(request: ServiceRequest) -> dict:
    """The 201 body of a submission (CONTRACT.md): JSON-ready, so it can be replayed."""
    return {
        "registration_number": request.registration_number,
        "access_token": request.access_token,
        "status": request.status,
        "status_label": status_label(request.status),
        "current_step": step_ref(request.current_step),
        "tracking_url": request_status_url(request.registration_number),
        "submitted_at": dt(request.submitted_at),
        "due_date": d(request.due_date),
    }


# --- parsing -----------------------------------------------------------------------------


def _check_size(http_request):
    try:
        length = int(http_request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > settings.MAX_UPLOAD_BYTES:
        raise PayloadTooLarge(_("The upload is larger than the allowed total size."))


def read_payload(http_request) -> tuple[dict, dict]:
    """(payload, files) from JSON, or multipart with a `payload` JSON part and file parts
    named by document code."""
    _check_size(http_request)
    try:
        data = http_request.data
        files = http_request.FILES
    except RequestDataTooBig:
        raise PayloadTooLarge() from None
    if files or "payload" in data:
        raw = data.get("payload")
        if raw in (None, ""):
            payload = {}
        else:
            try:
                payload = loads_object(raw)
            except ParseError as exc:
                raise ApplicationError(field_errors={"payload": [str(exc.detail)]}) from None
        uploads = {}
        for code in files:
            parts = files.getlist(code)
            if len(parts) > 1:
                raise ApplicationError(field_errors={code: [_("Upload one file per document.")]})
            uploads[code] = parts[0]
    else:
        payload = data.dict() if hasattr(data, "dict") else data
        uploads = {}
    if not isinstance(payload, dict):
        raise ParseError(_("The body must be a JSON object."))
    return payload, uploads


# --- submitting --------------------------------------------------------------------------


class RequestSubmitApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [SubmitThrottle]  # the page form counts in the same scope

    @extend_schema(
        request={"application/json": S.SubmitInput, "multipart/form-data": S.PayloadInput},
        responses={201: S.SubmissionOutput, **ERRORS},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER)],
        summary="Submit a service request",
    )
    def post(self, request):
        payload, uploads = read_payload(request)
        user = request.user if request.user.is_authenticated else None

        def action():
            service = service_for_submission(payload.get("service"))
            created = services.service_request_submit(
                service=service,
                applicant=payload.get("applicant"),
                data=payload.get("data", {}),
                documents=uploads,
                acting_user=user,
            )
            return 201, S.SubmissionOutput(submission_response(created)).data, created

        key = request.headers.get("Idempotency-Key")
        if key is None:
            status_code, body, _created = action()
        else:
            status_code, body, _replayed = run_once(key, body_hash(payload, uploads), action)
        return Response(body, status=status_code)


# --- the applicant's own request, and staff ---------------------------------------------


def _file_url(http_request, name, **kwargs):
    return http_request.build_absolute_uri(reverse(name, kwargs=kwargs))


def request_detail(http_request, request: ServiceRequest, *, staff: bool) -> dict:
    """Full details: applicant, form data, documents (with download URLs), steps, history.
    Built from the prefetched request only (a fixed number of queries)."""
    service = request.service
    doc_labels = selectors.document_labels(service)
    number = request.registration_number
    events = list(request.events.all())
    if not staff:
        events = [e for e in events if e.is_transition]
    open_task = selectors.open_task_of(request)
    body = {
        "registration_number": number,
        "service": {"code": service.code, "name": service.name},
        "status": request.status,
        "status_label": status_label(request.status),
        "current_step": step_ref(request.current_step),
        "channel": request.channel,
        "applicant": {
            "name": request.applicant_name,
            "phone": request.applicant_phone,
            "nik": request.applicant_nik or None,
            "email": request.applicant_email or None,
        },
        "data": [answer._asdict() for answer in selectors.request_answers(request)],
        "correction_codes": request.correction_codes,
        "documents": [
            {
                "id": doc.pk,
                "code": doc.code,
                "label": doc_labels.get(doc.code, doc.code),
                "name": doc.original_name,
                "content_type": doc.content_type,
                "size": doc.size,
                "uploaded_at": dt(doc.uploaded_at),
                "superseded": doc.superseded,
                "url": _file_url(
                    http_request, "api-request-document", number=number, document_id=doc.pk
                ),
            }
            for doc in request.documents.all()
        ],
        "steps": [
            {"order": s["order"], "name": s["name"], "state": s["state"]}
            for s in selectors.step_states(request)
        ],
        "history": [
            {
                "at": dt(e.at),
                "kind": e.kind,
                "status": e.to_status,
                "status_label": status_label(e.to_status),
                "from_status": e.from_status or None,
                "step": step_ref(e.step),
                "note": e.note,
                "public_note": e.public_note or None,
                **(
                    {
                        "actor": e.actor.get_username() if e.actor_id else None,
                        "acting_as": roles.acting_as_label(e.acting_as) or None,
                        "is_transition": e.is_transition,
                    }
                    if staff
                    else {}
                ),
            }
            for e in events
        ],
        "submitted_at": dt(request.submitted_at),
        "due_date": d(request.due_date),
        "completed_at": dt(request.completed_at),
        "result_url": _file_url(http_request, "api-request-result", number=number)
        if request.result_document
        else None,
        "tracking_url": request_status_url(request.registration_number),
    }
    if staff:
        body["open_task"] = task_summary(open_task) if open_task else None
        return S.StaffRequestDetailOutput(body).data
    return S.RequestDetailOutput(body).data


def resolve_request(http_request, number: str) -> tuple[ServiceRequest, bool]:
    """The applicant (X-Access-Token) or staff of the responsible unit; (request, is_staff)."""
    token = http_request.headers.get("X-Access-Token")
    if token is not None:
        return selectors.request_for_applicant(number, token), False
    if not http_request.user.is_authenticated:
        raise NotAuthenticated()
    return selectors.request_for_staff(http_request.user, number), True


def resolve_applicant(http_request, number: str) -> ServiceRequest:
    token = http_request.headers.get("X-Access-Token")
    if not token:
        raise NotAuthenticated(_("Send the request's access token in X-Access-Token."))
    return selectors.request_for_applicant(number, token)


class RequestDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            200: PolymorphicProxySerializer(
                "RequestDetail",
                serializers=[S.RequestDetailOutput, S.StaffRequestDetailOutput],
                resource_type_field_name=None,
            ),
            **ERRORS,
        },
        parameters=[ACCESS_TOKEN],
        summary="A request in full: the applicant (X-Access-Token) or staff of its unit",
    )
    def get(self, request, number):
        service_request, staff = resolve_request(request, number)
        return Response(request_detail(request, service_request, staff=staff))


class RequestResubmitApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request={"application/json": S.ResubmitInput, "multipart/form-data": S.PayloadInput},
        responses={200: S.RequestDetailOutput, **ERRORS},
        parameters=[ACCESS_TOKEN],
    )
    def post(self, request, number):
        service_request = resolve_applicant(request, number)
        payload, uploads = read_payload(request)
        services.service_request_resubmit(
            request=service_request,
            data=payload.get("data", {}),
            documents=uploads,
            applicant=payload.get("applicant"),
            service=payload.get("service"),
        )
        refreshed = selectors.request_for_applicant(number, service_request.access_token)
        return Response(request_detail(request, refreshed, staff=False))


class RequestCancelApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=S.CancelInput,
        responses={200: S.RequestDetailOutput, **ERRORS},
        parameters=[ACCESS_TOKEN],
    )
    def post(self, request, number):
        service_request = resolve_applicant(request, number)
        body = _valid(S.CancelInput, request.data)
        services.service_request_cancel(request=service_request, note=body.get("note", ""))
        refreshed = selectors.request_for_applicant(number, service_request.access_token)
        return Response(request_detail(request, refreshed, staff=False))


def result_response(service_request: ServiceRequest):
    return downloads.result_download(service_request)


def document_response(service_request: ServiceRequest, document_id):
    for doc in service_request.documents.all():
        if str(doc.pk) == str(document_id):
            return downloads.document_download(doc)
    raise NotFound()


class RequestResultApi(APIView):
    permission_classes = [AllowAny]

    # a result stored before its type was sniffed is served as octet-stream
    @extend_schema(
        responses={**STORED_FILE_RESPONSES, (200, "application/octet-stream"): OpenApiTypes.BINARY}
    )
    def get(self, request, number):
        service_request, _staff = resolve_request(request, number)
        return result_response(service_request)


class RequestDocumentApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=STORED_FILE_RESPONSES)
    def get(self, request, number, document_id):
        service_request, _staff = resolve_request(request, number)
        return document_response(service_request, document_id)


# --- staff tasks -------------------------------------------------------------------------


def task_summary(task) -> dict:
    """A task as the API shows it (its schema: api_serializers.TaskOutput). Built as plain
    JSON values: running each row of the queue through the serializer as well cost more
    than the rest of the request (profiled; docs/PERFORMANCE.md)."""
    return {
        "id": task.pk,
        "registration_number": task.request.registration_number,
        "service": task.request.service.code,
        "step": step_ref(task.step),
        "assigned_to": task.assigned_to.get_username() if task.assigned_to_id else None,
        "created_at": dt(task.created_at),
        "due_date": d(task.due_date),
        "overdue": selectors.task_is_overdue(task),
    }


def rows_summary(rows) -> list[dict]:
    """`task_summary` of each queue row (`selectors_queue.QueueRow`, the list's plain
    values)."""
    tz = timezone.get_current_timezone()
    return [
        {
            "id": row.id,
            "registration_number": row.number,
            "service": row.service_code,
            "step": {"order": row.step_order, "name": row.step_name},
            "assigned_to": row.assignee,
            "created_at": dt(row.created_at, tz),
            "due_date": d(row.due_date),
            "overdue": row.is_overdue,
        }
        for row in rows
    ]


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
