"""Personnel API (CONTRACT.md 7 "Interoperability"): the consistency monitor's issues,
summary and "solve problem" actions, and SIASN imports. HR only (403 for other staff)."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from config.exceptions import PayloadTooLarge

from . import selectors, services, tasks
from .models import ConsistencyIssue, IssueClass, SiasnImport

# --- output ----------------------------------------------------------------------------------


class IssueOutput(serializers.Serializer):
    id = serializers.IntegerField()
    issue_class = serializers.ChoiceField(choices=IssueClass.choices)  # answered as "class"
    class_label = serializers.CharField(source="get_issue_class_display")
    status = serializers.CharField()
    nip = serializers.CharField()
    name = serializers.CharField()
    employee = serializers.SerializerMethodField()
    office = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    field = serializers.CharField()
    local_value = serializers.CharField()
    bkn_value = serializers.CharField()
    bkn_imported_at = serializers.SerializerMethodField()
    note = serializers.CharField()
    detected_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    actions = serializers.SerializerMethodField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return {"id": data.pop("id"), "class": data.pop("issue_class"), **data}

    def get_employee(self, issue) -> dict | None:
        e = issue.employee
        return None if e is None else {"id": e.pk, "nip": e.nip, "name": e.name}

    def get_office(self, issue) -> str | None:
        return issue.office.code if issue.office else None

    def get_unit(self, issue) -> str | None:
        return issue.unit.code if issue.unit else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_bkn_imported_at(self, issue):
        record = issue.record
        return serializers.DateTimeField().to_representation(record.imported_at) if record else None

    def get_actions(self, issue) -> list[str]:
        return issue_actions(issue)


def issue_actions(issue) -> list[str]:
    """The "solve problem" actions open for an issue now."""
    if issue.status == ConsistencyIssue.Status.RESOLVED:
        return []
    actions = []
    if issue.issue_class == IssueClass.FIELD_MISMATCH and issue.field in services.ACCEPTABLE_FIELDS:
        actions.append("accept-bkn")
    if issue.issue_class == IssueClass.MISSING_LOCAL:
        actions.append("create-employee")
    if issue.status == ConsistencyIssue.Status.OPEN:
        actions.append("keep-local")
    return actions


class IssueActionOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField(source="kind")
    actor = serializers.SerializerMethodField()
    note = serializers.CharField()
    local_value = serializers.CharField()
    bkn_value = serializers.CharField()

    def get_actor(self, action) -> str | None:
        return action.actor.get_username() if action.actor else None


class ImportOutput(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    file = serializers.CharField(source="file_name")
    full = serializers.BooleanField()
    status = serializers.CharField()
    percent = serializers.IntegerField()
    rows_read = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    summary = serializers.JSONField()


# --- views -----------------------------------------------------------------------------------


class HrApi(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.may_reconcile(request.user):
            raise PermissionDenied(_("Only HR (Kepegawaian) may do this."))


class IssuePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ConsistencyListApi(HrApi):
    @extend_schema(
        parameters=[
            OpenApiParameter("class", enum=IssueClass.values),
            OpenApiParameter("status", enum=sorted(selectors.STATUS_FILTERS)),
            OpenApiParameter("office", str),
            OpenApiParameter("unit", str),
            OpenApiParameter("nip", str),
        ],
        responses=IssueOutput(many=True),
    )
    def get(self, request):
        issue_class = request.query_params.get("class", "")
        if issue_class and issue_class not in IssueClass.values:
            raise ValidationError({"class": [_("Unknown issue class.")]})
        qs = selectors.issue_list(
            user=request.user,
            issue_class=issue_class,
            status=request.query_params.get("status", "open"),
            office=request.query_params.get("office", ""),
            unit=request.query_params.get("unit", ""),
            nip=request.query_params.get("nip", ""),
        )
        paginator = IssuePagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(IssueOutput(page, many=True).data)


class ConsistencySummaryApi(HrApi):
    @extend_schema(
        responses=inline_serializer("ConsistencySummary", {"offices": serializers.ListField()})
    )
    def get(self, request):
        return Response(selectors.consistency_summary(user=request.user))


def _issue(request, pk):
    issue = selectors.issue_get(pk=pk, user=request.user)
    if issue is None:
        raise NotFound()
    return issue


class IssueHistoryApi(HrApi):
    @extend_schema(responses=IssueActionOutput(many=True))
    def get(self, request, issue_id):
        issue = _issue(request, issue_id)
        return Response(IssueActionOutput(issue.actions.select_related("actor"), many=True).data)


class IssueNoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    class Meta:
        ref_name = "PersonnelNoteInput"  # skp has a NoteInput of its own


class IssueAcceptBknApi(HrApi):
    @extend_schema(request=IssueNoteInput, responses=IssueOutput)
    def post(self, request, issue_id):
        data = IssueNoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        issue = services.issue_accept_bkn(
            issue=_issue(request, issue_id),
            actor=request.user,
            note=data.validated_data.get("note", ""),
        )
        return Response(IssueOutput(selectors.issue_get(pk=issue.pk, user=request.user)).data)


class IssueKeepLocalApi(HrApi):
    @extend_schema(request=IssueNoteInput, responses=IssueOutput)
    def post(self, request, issue_id):
        data = IssueNoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        issue = services.issue_keep_local(
            issue=_issue(request, issue_id),
            actor=request.user,
            note=data.validated_data.get("note", ""),
        )
        return Response(IssueOutput(selectors.issue_get(pk=issue.pk, user=request.user)).data)


class IssueCreateEmployeeApi(HrApi):
    @extend_schema(
        request=None,
        responses=inline_serializer("CreatedEmployee", {"id": serializers.IntegerField()}),
    )
    def post(self, request, issue_id):
        employee = services.issue_create_employee(
            issue=_issue(request, issue_id), actor=request.user
        )
        return Response(
            {"id": employee.pk, "nip": employee.nip, "name": employee.name},
            status=status.HTTP_201_CREATED,
        )


def start_upload_import(*, upload, user, full: bool) -> SiasnImport:
    """Keep the upload, register the import and hand it to the worker after commit (the
    page and the API share this)."""
    if upload.size > settings.SIASN_IMPORT_MAX_BYTES:
        raise PayloadTooLarge(
            field_errors={"file": [_("The file is larger than the import limit.")]}
        )
    with transaction.atomic():
        siasn_import = services.siasn_import_create(
            source=SiasnImport.Source.UPLOAD,
            file_name=upload.name,
            full=full,
            user=user,
            upload=upload,
        )
        transaction.on_commit(lambda: tasks.run_siasn_import.delay(siasn_import.pk))
    return siasn_import


class ImportListApi(HrApi):
    parser_classes = [MultiPartParser]

    @extend_schema(responses=ImportOutput(many=True))
    def get(self, request):
        return Response(ImportOutput(SiasnImport.objects.all()[:50], many=True).data)

    @extend_schema(
        request=inline_serializer(
            "SiasnUpload",
            {"file": serializers.FileField(), "partial": serializers.BooleanField(required=False)},
        ),
        responses={202: ImportOutput},
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("Choose the SIASN export file.")]})
        partial = str(request.data.get("partial", "")).lower() in ("1", "true", "on", "yes")
        siasn_import = start_upload_import(upload=upload, user=request.user, full=not partial)
        siasn_import.refresh_from_db()
        return Response(ImportOutput(siasn_import).data, status=status.HTTP_202_ACCEPTED)


class ImportDetailApi(HrApi):
    @extend_schema(responses=ImportOutput)
    def get(self, request, import_id):
        siasn_import = SiasnImport.objects.filter(pk=import_id).first()
        if siasn_import is None:
            raise NotFound()
        return Response(ImportOutput(siasn_import).data)
