"""Input and output shapes of the workflow API, one serializer per operation.

They are what the OpenAPI schema (`/api/v1/schema/`) says, and what the API answers:
every answer is passed through its output serializer, so a key the schema does not name
never leaves. Inputs are checked here for shape only (types, lengths); the rules
(required fields of a service, phone and NIK formats, who may do what) stay in the
workflow's validation and services, so pages, API and WhatsApp share them.
"""

from rest_framework import serializers

from .models import Channel, RequestEvent, RequestStatus, Task

MAX_NOTE = 5000
MAX_PUBLIC_NOTE = 500

# --- shared pieces -----------------------------------------------------------------------


class StepRef(serializers.Serializer):
    order = serializers.IntegerField()
    name = serializers.CharField()


class StepState(StepRef):
    state = serializers.ChoiceField(choices=["done", "current", "pending"])


class ServiceRef(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ErrorOutput(serializers.Serializer):
    """Every error: `{"detail": "..."}`, or field errors `{"field": ["..."]}`."""

    detail = serializers.CharField(required=False)


# --- submitting --------------------------------------------------------------------------


class ApplicantInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=40, help_text="0812…, 62812… or +62 812-…")
    nik = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)


class SubmitInput(serializers.Serializer):
    """JSON, or multipart with this JSON in a `payload` part and one file part per
    document code."""

    service = serializers.CharField(max_length=60)
    applicant = ApplicantInput()
    data = serializers.DictField(
        child=serializers.JSONField(), help_text="Answers by form field code."
    )


class SubmissionOutput(serializers.Serializer):
    registration_number = serializers.CharField()
    access_token = serializers.CharField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    status_label = serializers.CharField()
    current_step = StepRef(allow_null=True)
    tracking_url = serializers.URLField()
    submitted_at = serializers.DateTimeField()
    due_date = serializers.DateField(allow_null=True)


# --- the applicant's own request, and staff ----------------------------------------------


class ApplicantOutput(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    nik = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)


class AnswerOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField()


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    label = serializers.CharField()
    name = serializers.CharField(help_text="As uploaded; downloads use `<code>.<ext>`.")
    content_type = serializers.CharField(help_text="Read from the file's bytes.")
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    superseded = serializers.BooleanField()
    url = serializers.URLField()


class HistoryOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=RequestEvent.Kind.choices)
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    status_label = serializers.CharField()
    from_status = serializers.CharField(allow_null=True)
    step = StepRef(allow_null=True)
    note = serializers.CharField(allow_blank=True, help_text="For the applicant (and staff).")
    public_note = serializers.CharField(
        allow_null=True, help_text="What the public timeline shows of this entry."
    )


class StaffHistoryOutput(HistoryOutput):
    actor = serializers.CharField(allow_null=True)
    acting_as = serializers.CharField(allow_null=True)
    is_transition = serializers.BooleanField()


class TaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    registration_number = serializers.CharField()
    service = serializers.CharField()
    step = StepRef()
    assigned_to = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class RequestDetailOutput(serializers.Serializer):
    """The applicant's view (X-Access-Token)."""

    registration_number = serializers.CharField()
    service = ServiceRef()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    status_label = serializers.CharField()
    current_step = StepRef(allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    applicant = ApplicantOutput()
    data = AnswerOutput(many=True)
    correction_codes = serializers.ListField(child=serializers.CharField())
    documents = DocumentOutput(many=True)
    steps = StepState(many=True)
    history = HistoryOutput(many=True)
    submitted_at = serializers.DateTimeField()
    due_date = serializers.DateField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    result_url = serializers.URLField(allow_null=True)
    tracking_url = serializers.URLField()


class StaffRequestDetailOutput(RequestDetailOutput):
    """Staff of the responsible unit: the staff-side history and the open task too."""

    history = StaffHistoryOutput(many=True)
    open_task = TaskOutput(allow_null=True)


class ResubmitInput(serializers.Serializer):
    """JSON, or multipart with this JSON in `payload` and replacement documents as file
    parts named by document code."""

    data = serializers.DictField(child=serializers.JSONField())


class CancelInput(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_NOTE, required=False, allow_blank=True)


# --- staff tasks -------------------------------------------------------------------------


class AssignInput(serializers.Serializer):
    user = serializers.CharField(max_length=150, help_text="Username of the assignee.")


class CompleteInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Task.Decision.choices)
    note = serializers.CharField(
        max_length=MAX_NOTE,
        required=False,
        allow_blank=True,
        help_text="For the applicant; required to return or reject.",
    )
    public_note = serializers.CharField(
        max_length=MAX_PUBLIC_NOTE,
        required=False,
        allow_blank=True,
        help_text="Optional; shown on the public timeline. Nothing personal.",
    )
    correction_codes = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, max_length=200
    )
    result = serializers.FileField(
        required=False, help_text="Multipart only: the result of a `produces_result` step."
    )


class CompleteOutput(serializers.Serializer):
    task = TaskOutput()
    registration_number = serializers.CharField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    status_label = serializers.CharField()
    current_step = StepRef(allow_null=True)


class PayloadInput(serializers.Serializer):
    """Multipart form of a JSON body: the JSON in `payload`, files as further parts named
    by document code."""

    payload = serializers.CharField(help_text="The JSON body as text.")


ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 413, 429), ErrorOutput)
