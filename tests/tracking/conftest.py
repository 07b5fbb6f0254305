import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests import factories
from workflow.models import RequestEvent, RequestStatus, ServiceRequest
from workflow.numbers import format_number, key_of

APPLICANT = {
    "name": "Siti Rahmawati Zulkarnain",
    "phone": "081234567890",
    "nik": "1571015503900007",
    "email": "siti.rahma@contoh.id",
}
PHONE_E164 = "+6281234567890"


@pytest.fixture(autouse=True)
def clear_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lookup_prepared(db):
    """The public lookup's statement prepared on this test's connection, as it is in a
    serving process after its first lookup (config/prepared.py); a connection's first
    lookup is one query more (the PREPARE: tests/tracking/test_prepared_lookup.py)."""
    from workflow.selectors_timeline import public_timeline_by_number

    public_timeline_by_number("KJB-2026-00000-0")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def office(db):
    return factories.OfficeFactory(code="KJB", name="Kankemenag Kota Jambi")


@pytest.fixture
def portal_service(office):
    """A demo-like service: three fields, one required document, three steps."""
    phu = factories.UnitFactory(office=office, code="phu", name="Seksi PHU")
    service = factories.ServiceTypeFactory(
        code="rekomendasi-paspor-umrah",
        name="Rekomendasi Paspor Umrah",
        unit=phu,
        sla_working_days=3,
        fee=0,
        product="Surat rekomendasi",
        product_is_digital=True,
        legal_basis="PMA 5/2021",
        complaint_channel="WhatsApp pengaduan 0811-0000-000",
    )
    factories.FormFieldFactory(
        service=service, code="nama_ppiu", label="Nama PPIU", order=1, help_text="Nama biro"
    )
    factories.FormFieldFactory(
        service=service,
        code="jenis_kelamin",
        label="Jenis kelamin",
        type="choice",
        choices=["Laki-laki", "Perempuan"],
        order=2,
    )
    factories.FormFieldFactory(
        service=service,
        code="tanggal_berangkat",
        label="Tanggal berangkat",
        type="date",
        required=False,
        order=3,
    )
    factories.RequiredDocumentFactory(
        service=service,
        code="ktp",
        label="KTP",
        content_types=["application/pdf"],
        max_bytes=100_000,
        order=1,
    )
    factories.StepFactory(
        service=service, order=1, name="Verifikasi berkas", unit=phu, may_return=True
    )
    factories.StepFactory(service=service, order=2, name="Paraf Kasi", unit=phu)
    factories.StepFactory(service=service, order=3, name="Tanda tangan", unit=phu)
    return service


_sequence = iter(range(1, 10**6))


def stored_request(service, *, status=RequestStatus.IN_PROGRESS, step_order=2, history=3):
    """A request row with `history` public events, written directly (read-side tests)."""
    number = format_number(
        office_code=service.unit.office.code, year=2026, sequence=next(_sequence)
    )
    steps = {s.order: s for s in service.steps.all()}
    now = timezone.now()
    request = ServiceRequest.objects.create(
        service=service,
        office=service.unit.office,
        registration_number=number,
        registration_key=key_of(number),
        status=status,
        current_step=steps.get(step_order),
        channel="online",
        applicant_name=APPLICANT["name"],
        applicant_phone=PHONE_E164,
        applicant_nik=APPLICANT["nik"],
        applicant_email=APPLICANT["email"],
        data={"nama_ppiu": "Biro Wisata Rahasia Barokah", "jenis_kelamin": "Perempuan"},
        submitted_at=now - datetime.timedelta(days=5),
        due_date=timezone.localdate() + datetime.timedelta(days=2),
    )
    for i in range(history):
        RequestEvent.objects.create(
            request=request,
            kind=RequestEvent.Kind.ADVANCED,
            at=now - datetime.timedelta(days=5) + datetime.timedelta(minutes=i),
            to_status=RequestStatus.IN_PROGRESS if i else RequestStatus.SUBMITTED,
            step=steps[1 + i % len(steps)],
            note=f"catatan {i}",  # for the applicant: never public
            public_note=f"catatan publik {i}",
        )
    RequestEvent.objects.create(
        request=request,
        kind=RequestEvent.Kind.CLAIMED,
        is_transition=False,
        at=now,
        to_status=status,
        note="internal staff note",
    )
    return request
