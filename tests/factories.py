"""factory-boy factories for every model the tests use. One place, one style."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from organization.models import (
    ActingAssignment,
    Employee,
    Office,
    Position,
    PositionHolding,
    PositionKind,
    StaffMembership,
    Unit,
)
from services_catalog.models import FormField, RequiredDocument, ServiceType, Step
from skp.models import Indicator, Rhk, Skp
from workflow.numbers import format_number, key_of


def make_nip(n: int, *, birth=datetime.date(1985, 3, 21), appointed="201001", gender="1") -> str:
    return f"{birth:%Y%m%d}{appointed}{gender}{n % 999 + 1:03d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.id")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"K{n:02d}")
    name = factory.Sequence(lambda n: f"Kantor Kementerian Agama {n}")
    kind = Office.Kind.KANKEMENAG


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    office = factory.SubFactory(OfficeFactory)
    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Seksi {n}")
    kind = Unit.Kind.SEKSI


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = StaffMembership.Role.STAFF


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"Jabatan {n}")
    kind = PositionKind.PELAKSANA
    superior = None


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    user = factory.SubFactory(UserFactory)
    nip = factory.Sequence(lambda n: make_nip(n))
    name = factory.Sequence(lambda n: f"Pegawai {n}")


class PositionHoldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PositionHolding

    employee = factory.SubFactory(EmployeeFactory)
    position = factory.SubFactory(PositionFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    end_date = None


class ActingAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActingAssignment

    employee = factory.SubFactory(EmployeeFactory)
    position = factory.SubFactory(PositionFactory)
    kind = ActingAssignment.Kind.PLT
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=80))
    decree_number = factory.Sequence(lambda n: f"B-{n}/Kw.05/KP.07.6/2026")


class ServiceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceType

    code = factory.Sequence(lambda n: f"layanan-{n}")
    name = factory.Sequence(lambda n: f"Layanan {n}")
    unit = factory.SubFactory(UnitFactory)
    sla_working_days = 5
    fee = 0
    product = "Surat rekomendasi"
    requirements = "Fotokopi KTP"


class FormFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormField

    service = factory.SubFactory(ServiceTypeFactory)
    code = factory.Sequence(lambda n: f"field_{n}")
    label = factory.Sequence(lambda n: f"Isian {n}")
    type = FormField.Type.TEXT
    required = True
    order = factory.Sequence(lambda n: n)


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    service = factory.SubFactory(ServiceTypeFactory)
    code = factory.Sequence(lambda n: f"doc_{n}")
    label = factory.Sequence(lambda n: f"Dokumen {n}")
    required = True
    order = factory.Sequence(lambda n: n)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    service = factory.SubFactory(ServiceTypeFactory)
    order = 1
    name = factory.Sequence(lambda n: f"Tahap {n}")
    unit = factory.LazyAttribute(lambda o: o.service.unit)
    sla_working_days = 2


# --- workflow ------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
VALID_NIK = "3273015508900001"  # Jawa Barat, woman born 15 Aug 1990


def pdf_upload(name="berkas.pdf", content=PDF_BYTES, content_type="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def submit_request(service, *, data=None, documents=None, applicant=None, **kwargs):
    """A request submitted through the real service (number, task, history and all)."""
    from workflow.models import Channel
    from workflow.services import service_request_submit

    if data is None:
        data = {f.code: _sample_answer(f) for f in service.fields.all() if f.required}
    if documents is None:
        documents = {d.code: pdf_upload() for d in service.documents.all() if d.required}
    return service_request_submit(
        service=service,
        applicant=applicant or {"name": "Siti Aminah", "phone": "0812-3456-7890"},
        data=data,
        documents=documents,
        channel=kwargs.pop("channel", Channel.ONLINE),
        **kwargs,
    )


def _sample_answer(field):
    return {
        "text": "Umrah keluarga",
        "textarea": "Keterangan panjang",
        "number": 3,
        "date": "2026-12-01",
        "choice": (field.choices or ["x"])[0],
        "email": "warga@example.id",
        "phone": "081234567890",
    }[field.type]


# --- SKP ---------------------------------------------------------------------------------


class SkpFactory(factory.django.DjangoModelFactory):
    """A draft SKP. Pass `position=` the employee's definitive position when it matters."""

    class Meta:
        model = Skp

    employee = factory.SubFactory(EmployeeFactory)
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    position = factory.SubFactory(PositionFactory)


class RhkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rhk

    skp = factory.SubFactory(SkpFactory)
    kind = Rhk.Kind.MAIN
    text = factory.Sequence(lambda n: f"Terlaksananya layanan administrasi {n}")
    order = factory.Sequence(lambda n: n)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    rhk = factory.SubFactory(RhkFactory)
    text = factory.Sequence(lambda n: f"Jumlah dokumen yang diselesaikan {n}")
    target = "12"
    unit = "dokumen"
    aspect = Indicator.Aspect.QUANTITY


# --- workflow requests and history (notifications' tests build transitions by hand) ------
class ServiceRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workflow.ServiceRequest"

    service = factory.SubFactory(ServiceTypeFactory)
    office = factory.LazyAttribute(lambda o: o.service.unit.office)
    registration_number = factory.LazyAttributeSequence(
        lambda o, n: format_number(office_code=o.office.code, year=2026, sequence=n + 1)
    )
    registration_key = factory.LazyAttribute(lambda o: key_of(o.registration_number))
    channel = "online"
    applicant_name = "Siti Aminah"
    applicant_phone = "+6281234567890"
    submitted_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class RequestEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workflow.RequestEvent"

    request = factory.SubFactory(ServiceRequestFactory)
    kind = "submitted"
    at = factory.LazyFunction(timezone.now)
    to_status = factory.LazyAttribute(lambda o: o.request.status)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workflow.Task"

    request = factory.SubFactory(ServiceRequestFactory)
    step = factory.SubFactory(StepFactory)
    unit = factory.LazyAttribute(lambda o: o.step.unit)
    created_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=2))


# --- notifications -------------------------------------------------------------------------
class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.Message"

    request = factory.SubFactory(ServiceRequestFactory)
    kind = "submitted"
    recipient = "+6281234567890"
    body = factory.LazyAttribute(lambda o: f"Permohonan {o.request.registration_number}")
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notifications.MessageTemplate"

    service = None
    kind = "submitted"
    language = "id"
    body = "Nomor {{ number }} untuk {{ service }}."
