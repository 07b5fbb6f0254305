"""The page forms fuzzed with hypothesis through the real views (Django test client).

Each example starts from a valid submission of the form and, field by field, keeps it,
drops it, or replaces it with something hostile: any unicode text (NUL, controls), bytes
that are not UTF-8 (an encoded lone surrogate), huge text, huge or malformed numbers,
a file where text is expected and text where a file is, fake or misnamed files. The body
is built by hand as multipart, so what reaches Django is exactly those bytes.

Whatever is sent, the answer is a page (200/400/409/413 with the form's error marker) or
a redirect, never a 500, and a refusal leaves nothing behind: the rows of requests,
documents, tasks, events, outbox messages (and SKP content) are counted before and after.
"""

import re
import secrets

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notifications.models import Message
from skp.models import Indicator, Rhk, Skp
from tests import factories
from tests.skp.conftest import org  # noqa: F401
from tests.tracking.test_pages import _returned
from tracking.models import FormSubmission
from workflow import services as workflow_services
from workflow.models import Document, RequestEvent, RequestStatus, ServiceRequest, Task

pytestmark = pytest.mark.django_db

EXAMPLES = 25
KEEP, DROP = object(), object()
PDF = factories.PDF_BYTES

HOSTILE_TEXT = st.one_of(
    st.text(max_size=200).map(lambda s: s.encode()),  # any unicode, NUL and controls too
    st.sampled_from(
        [
            b"",
            b"\x00",
            b"Siti\x00Aminah",
            b"\xed\xa0\x80",  # a lone surrogate, as (invalid) UTF-8
            b"\xff\xfe\xfd",
            b"1e300000",
            b"9" * 400 + b".5",
            b"-1",
            b"NaN",
            b"Infinity",
            "\u0663\u0664".encode(),  # Arabic-Indic digits
            b"x" * 300_000,
            b'{"a": 1}',
            b"<script>alert(1)</script>",
            b"2026-02-30",
            b"99999999999999999999",
        ]
    ),
)
HOSTILE_FILE = st.sampled_from(
    [
        ("ktp.pdf", b"this is not a pdf", "application/pdf"),
        ("evil.html", PDF, "text/html"),
        ("../../x.svg", PDF, "image/svg+xml"),
        ("kosong.pdf", b"", "application/pdf"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 40, "image/png"),
        ("n\x00ul.pdf", PDF, "application/pdf"),
        ("besar.pdf", PDF + b"0" * 3_000_000, "application/pdf"),  # over the document limit
    ]
)


def mutations(valid: dict) -> st.SearchStrategy:
    """Each field kept, dropped, or replaced by hostile text or a hostile file."""
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.just(KEEP), st.just(DROP), HOSTILE_TEXT, HOSTILE_FILE)
            for name in valid
        }
    )


def multipart(fields: dict) -> tuple[bytes, str]:
    boundary = f"alurfuzz{secrets.token_hex(8)}"
    chunks = []
    for name, value in fields.items():
        chunks.append(f"--{boundary}\r\n".encode())
        if isinstance(value, tuple):
            filename, content, content_type = value
            chunks.append(
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n".encode()
            )
        else:
            content = value
            chunks.append(f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        chunks += [content, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def counts(*models) -> dict:
    return {model.__name__: model.objects.count() for model in models}


WORKFLOW_ROWS = (ServiceRequest, Document, Task, RequestEvent, Message, FormSubmission)
SKP_ROWS = (Skp, Rhk, Indicator)
ERROR_MARKERS = ('aria-invalid="true"', "error-summary", 'role="alert"')


def fuzz(client, url, valid, *, rows, accepted=(302,), markers=ERROR_MARKERS, examples=EXAMPLES):
    """Post mutated versions of `valid()` (a fresh valid body each time: form tokens are
    one-time) to `url` (or `url()`); check every answer; returns the statuses seen."""
    seen = set()

    @settings(
        max_examples=examples,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def run(data):
        body = valid()
        target = url() if callable(url) else url
        choice = data.draw(mutations(body))
        fields = {}
        for name, value in body.items():
            pick = choice[name]
            if pick is DROP:
                continue
            fields[name] = value if pick is KEEP else pick
        payload, content_type = multipart(fields)
        before = counts(*rows)
        response = client.generic("POST", target, payload, content_type=content_type)
        status = response.status_code
        seen.add(status)
        assert status in (*accepted, 200, 400, 409, 413), (status, fields.keys())
        if status not in accepted:
            assert counts(*rows) == before, (status, list(fields))
            html = response.content.decode(errors="replace")
            assert any(marker in html for marker in markers), (status, html[:2000])

    run()
    return seen


def _text_fields(body: dict) -> dict:
    return {k: (v.encode() if isinstance(v, str) else v) for k, v in body.items()}


def _form_token(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1).encode()


@pytest.fixture(autouse=True)
def _no_limits(settings):
    # The limits are tested on their own (test_rate_limits.py); here every example must
    # reach the form.
    settings.SUBMIT_RATE_LIMIT = ""
    settings.AXES_FAILURE_LIMIT = 100_000


APPLICATION = {
    "applicant_name": "Siti Rahmawati",
    "applicant_phone": "081234567890",
    "applicant_nik": "1571015503900007",
    "applicant_email": "siti@contoh.id",
    "f_nama_ppiu": "Biro Wisata Barokah",
    "f_jenis_kelamin": "Perempuan",
    "f_tanggal_berangkat": "2026-12-20",
}


def test_the_service_form_refuses_hostile_input_cleanly(client, portal_service):
    url = f"/layanan/{portal_service.code}/"

    def valid():
        return {
            **_text_fields(APPLICATION),
            "d_ktp": ("ktp.pdf", PDF, "application/pdf"),
            "form_token": _form_token(client, url),
        }

    seen = fuzz(client, url, valid, rows=WORKFLOW_ROWS)
    assert {302, 400} <= seen, seen  # the run did reach both outcomes


def test_the_counter_form_refuses_hostile_input_cleanly(client, portal_service):
    ptsp = factories.UnitFactory(office=portal_service.unit.office, kind="ptsp")
    client.force_login(factories.StaffMembershipFactory(unit=ptsp, role="clerk").user)
    url = f"/staf/loket/{portal_service.code}/"

    def valid():
        return {
            **_text_fields({k: v for k, v in APPLICATION.items() if k not in ("applicant_email",)}),
            "d_ktp": ("ktp.pdf", PDF, "application/pdf"),
            "form_token": _form_token(client, url),
        }

    seen = fuzz(client, url, valid, rows=WORKFLOW_ROWS)
    assert {302, 400} <= seen, seen


def test_the_correction_form_refuses_hostile_input_cleanly(client, portal_service):
    request = _returned(portal_service)
    number = request.registration_number
    client.get(f"/permohonan/{number}/?token={request.access_token}")  # opens the session
    url = f"/permohonan/{number}/perbaiki/"

    def valid():
        request.refresh_from_db()
        if request.status != RequestStatus.NEEDS_INFO:  # corrected: the office returns it again
            task = Task.objects.get(request=request, status="open")
            unit = request.current_step.unit or request.service.unit
            staff = factories.StaffMembershipFactory(unit=unit, role="staff").user
            workflow_services.task_claim(task=task, user=staff)
            workflow_services.task_complete(task=task, user=staff, decision="return", note="Lagi")
        return {
            "f_nama_ppiu": b"Biro Wisata Barokah",
            "f_jenis_kelamin": b"Perempuan",
            "f_tanggal_berangkat": b"2026-12-20",
            "d_ktp": ("ktp-baru.pdf", PDF, "application/pdf"),
        }

    seen = fuzz(client, url, valid, rows=(ServiceRequest, Document, Task, Message))
    assert {302, 400} <= seen, seen


def test_the_staff_decision_form_refuses_hostile_input_cleanly(client, umrah, staff):
    request = factories.submit_request(umrah)
    client.force_login(staff)

    def url():
        """The open task, claimed; a request returned by an accepted decision is corrected
        by its applicant first, so that every example meets a task to decide."""
        request.refresh_from_db()
        if request.status == RequestStatus.NEEDS_INFO:
            workflow_services.service_request_resubmit(
                request=request,
                data=dict(request.data),
                documents={"ktp": factories.pdf_upload()},  # the correction asked for
                acting_user=None,
            )
        task = Task.objects.get(request=request, status="open")
        if task.assigned_to_id is None:
            workflow_services.task_claim(task=task, user=staff)
        return f"/staf/tugas/{task.pk}/selesaikan/"

    def valid():
        return {
            "decision": b"return",
            "note": b"Foto KTP buram",
            "public_note": b"Berkas dikembalikan",
            "correction_codes": b"ktp",
            "confirmed": b"1",
        }

    # Without `confirmed=1` the page asks to confirm the decision (nothing saved yet).
    confirm = ('<input type="hidden" name="confirmed" value="1">',)
    seen = fuzz(client, url, valid, rows=WORKFLOW_ROWS, markers=ERROR_MARKERS + confirm)
    assert {302, 400} <= seen, seen


def test_the_skp_forms_refuse_hostile_input_cleanly(client, org):  # noqa: F811
    client.force_login(org.owner.user)
    year = str(timezone.localdate().year).encode()
    fuzz(client, "/staf/skp/", lambda: {"year": year}, rows=SKP_ROWS)
    skp = Skp.objects.get()
    rhk = factories.RhkFactory(skp=skp)
    indicator = factories.IndicatorFactory(rhk=rhk)
    seen = fuzz(
        client,
        f"/staf/skp/{skp.pk}/rhk/",
        lambda: {"rhk-text": b"Tersusunnya data EMIS", "rhk-kind": b"main", "rhk-parent_rhk": b""},
        rows=SKP_ROWS,
    )
    assert 400 in seen, seen
    prefix = f"ind{indicator.pk}-"
    seen = fuzz(
        client,
        f"/staf/skp/{skp.pk}/indikator/{indicator.pk}/",
        lambda: {
            f"{prefix}text": b"Data EMIS diperbarui",
            f"{prefix}target": b"12",
            f"{prefix}unit": b"laporan",
            f"{prefix}aspect": b"quantity",
        },
        rows=SKP_ROWS,
    )
    assert 400 in seen, seen


def test_the_login_form_refuses_hostile_input_cleanly(client, db):
    user = factories.UserFactory(username="petugas")
    user.set_password("rahasia-yang-panjang")
    user.save()

    def valid():
        client.logout()
        return {"username": b"petugas", "password": b"rahasia-yang-panjang"}

    seen = fuzz(client, "/staf/masuk/", valid, rows=WORKFLOW_ROWS)
    assert {302, 200} <= seen, seen
