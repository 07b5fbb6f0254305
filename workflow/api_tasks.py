"""The staff task API (CONTRACT.md section 3 "Staff"): list, claim, release, assign,
complete. Thin: parse with the operation's serializer, call one service, render."""

from django.contrib.auth import get_user_model
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import APIException, AuthenticationFailed, ParseError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config import plain_json
from config.authentication import ExpiringTokenAuthentication
from config.exceptions import ApplicationError, PayloadTooLarge
from config.parsers import loads_object

from . import api_serializers as S
from . import selectors, services
from .api import _check_size, _valid, rows_summary, status_label, step_ref, task_summary
from .api_serializers import ERRORS
from .selectors_queue import QueueFilters, QueueReach, tab_count, tab_page


class TaskListApi(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = PageNumberPagination  # for the schema's list envelope

    @classmethod
    def as_view(cls, **initkwargs):
        # A plain JSON GET with a token is answered by `_plain_json_list` without DRF's
        # dispatch (negotiation, permission classes, rendering twice over were a fifth of
        # the queue answer's CPU, profiled); the rest by `get` below. Both answer byte for
        # byte alike (tests/workflow/test_task_list_fast_path.py).
        return plain_json.fast_path(super().as_view(**initkwargs), _plain_json_list)

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", str, enum=["mine", "queue"]),
            OpenApiParameter("service", str, description="service code"),
            OpenApiParameter("step", int, description="step order"),
            OpenApiParameter("overdue", bool),
            OpenApiParameter(
                "q", str, description="registration number, applicant name or NIK (prefix)"
            ),
            OpenApiParameter("channel", str, enum=["online", "counter"]),
            OpenApiParameter("sort", str, enum=["due", "-due", "created", "-created"]),
            OpenApiParameter("page", int),
        ],
        responses={200: S.TaskOutput(many=True), **ERRORS},
    )
    def get(self, request):
        return Response(task_list_page(request, request.user))


def task_list_page(request, user) -> dict:
    """The list's answer: the tab's page of `user`'s queue in the paginated envelope
    (`request`: DRF's, for the query and the page links)."""
    params = request.query_params
    scope = params.get("scope", "mine")
    if scope not in selectors.SCOPES:
        raise ApplicationError(field_errors={"scope": [_("Use mine or queue.")]})
    step = params.get("step", "")
    if step and not (step.isdigit() and len(step) < 4):
        raise ApplicationError(field_errors={"step": [_("A step number, such as 1.")]})
    filters = QueueFilters.from_query(params)
    reach = QueueReach.of(user)
    count = tab_count(user, scope, filters, reach=reach)
    rows = tab_page(user, scope, filters, reach=reach, count=count)
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(rows, request)
    return paginator.get_paginated_response(rows_summary(page)).data


_LIST_HEADERS = plain_json.drf_headers(TaskListApi)
_TOKEN = ExpiringTokenAuthentication()


def _plain_json_list(request):
    """The list for a plain JSON GET with a token, as DRF's view answers it: the same
    authentication class, reads and envelope, errors through DRF's exception handler.
    Without a token (a browser's session), DRF's view answers."""
    try:
        found = _TOKEN.authenticate(request)
    except AuthenticationFailed as exc:
        exc.auth_header = _TOKEN.authenticate_header(request)  # as DRF's view does: 401
        return plain_json.error_response(exc, _LIST_HEADERS)
    if found is None:
        return None
    request.user = found[0]  # as DRF's request sets it on the one it wraps
    try:
        data = task_list_page(Request(request), found[0])
    except (APIException, ApplicationError) as exc:
        return plain_json.error_response(exc, _LIST_HEADERS)
    return plain_json.json_response(plain_json.RENDERER.render(data), _LIST_HEADERS)


class _TaskActionApi(APIView):
    permission_classes = [IsAuthenticated]

    def task(self, request, task_id):
        return selectors.task_for_user(request.user, task_id)

    def done(self, request, task_id):
        return Response(task_summary(self.task(request, task_id)))


class TaskClaimApi(_TaskActionApi):
    @extend_schema(request=None, responses={200: S.TaskOutput, **ERRORS})
    def post(self, request, task_id):
        services.task_claim(task=self.task(request, task_id), user=request.user)
        return self.done(request, task_id)


class TaskReleaseApi(_TaskActionApi):
    @extend_schema(request=None, responses={200: S.TaskOutput, **ERRORS})
    def post(self, request, task_id):
        services.task_release(task=self.task(request, task_id), user=request.user)
        return self.done(request, task_id)


class TaskAssignApi(_TaskActionApi):
    @extend_schema(request=S.AssignInput, responses={200: S.TaskOutput, **ERRORS})
    def post(self, request, task_id):
        task = self.task(request, task_id)
        username = _valid(S.AssignInput, request.data)["user"]
        assignee = get_user_model().objects.filter(username=username).first()
        services.task_assign(task=task, assignee=assignee, user=request.user)
        return self.done(request, task_id)


class TaskCompleteApi(_TaskActionApi):
    @extend_schema(
        request={"application/json": S.CompleteInput, "multipart/form-data": S.CompleteInput},
        responses={200: S.CompleteOutput, **ERRORS},
    )
    def post(self, request, task_id):
        # The step alone: the decision locks and reads the request and task again, and
        # the answer is built from those (profiled: the joins were a tenth of the CPU).
        task = selectors.task_for_user(request.user, task_id, related=())
        _check_size(request)
        try:
            data = request.data
        except RequestDataTooBig:
            raise PayloadTooLarge() from None
        body = _valid(S.CompleteInput, _complete_fields(data))
        service_request = services.task_complete(
            task=task,
            user=request.user,
            decision=body["decision"],
            note=body.get("note", ""),
            public_note=body.get("public_note", ""),
            result_file=body.get("result"),
            correction_codes=body.get("correction_codes") or [],
        )
        # The task as the decision saved it, read under its lock with its step and holder;
        # the request locked and read with its service by the decision.
        task = service_request.decided_task
        task.request = service_request
        return Response(
            S.CompleteOutput(
                {
                    "task": task_summary(task),
                    "registration_number": service_request.registration_number,
                    "status": service_request.status,
                    "status_label": status_label(service_request.status),
                    "current_step": step_ref(service_request.current_step),
                }
            ).data
        )


def _complete_fields(data) -> dict:
    """The decision's fields from JSON or a form: a form's `correction_codes` may come as
    repeated parts, one JSON list, or one comma-separated text."""
    if not hasattr(data, "getlist"):
        return data
    fields = {key: data.get(key) for key in data if key != "correction_codes"}
    if "correction_codes" in data:
        codes = data.getlist("correction_codes")
        if len(codes) == 1 and codes[0].startswith("["):
            try:
                codes = loads_object('{"c": ' + codes[0] + "}")["c"]
            except ParseError:
                codes = [codes[0]]
        elif len(codes) == 1:
            codes = [c.strip() for c in codes[0].split(",") if c.strip()]
        fields["correction_codes"] = codes
    return fields
