"""POST /api/v1/requests/: validation, sizes, idempotency, channel, the 201 body."""

import json

import pytest

from tests import factories
from tests.workflow.fixtures import member, post_submission, submission
from workflow.models import Document, IdempotencyKey, RequestEvent, ServiceRequest, Task

pytestmark = pytest.mark.django_db


def counts():
    return (
        ServiceRequest.objects.count(),
        Task.objects.count(),
        Document.objects.count(),
        RequestEvent.objects.count(),
    )


def media_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_multipart_submission_answers_201_as_the_contract_says(api_client, umrah, settings):
    settings.PUBLIC_BASE_URL = "https://alur.example.go.id"
    response = post_submission(api_client)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "registration_number",
        "access_token",
        "status",
        "status_label",
        "current_step",
        "tracking_url",
        "submitted_at",
        "due_date",
    }
    assert body["status"] == "submitted" and body["status_label"] == "Diterima"
    assert body["current_step"] == {"order": 1, "name": "Verifikasi berkas"}
    assert body["tracking_url"] == (
        f"https://alur.example.go.id/cek-status/{body['registration_number']}/"
    )
    assert body["submitted_at"].endswith("+07:00")
    req = ServiceRequest.objects.get()
    assert req.channel == "online" and req.applicant_phone == "+6281234567890"
    assert req.applicant_nik == "3273015508900001"


def test_json_submission_to_a_service_with_required_documents_is_400(api_client, umrah):
    response = api_client.post("/api/v1/requests/", submission(), format="json")
    assert response.status_code == 400
    assert "ktp" in response.json()
    assert counts() == (0, 0, 0, 0)


def test_json_submission_without_documents(api_client, umrah):
    umrah.documents.update(required=False)
    response = api_client.post("/api/v1/requests/", submission(), format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service": "tidak-ada"}, "service"),
        ({"applicant": {"name": "Siti", "phone": "12345"}}, "applicant.phone"),
        ({"applicant": {"name": "", "phone": "081234567890"}}, "applicant.name"),
        ({"applicant": {"name": "S", "phone": "081234567890", "nik": "12"}}, "applicant.nik"),
        ({"applicant": {"name": "S", "phone": "081234567890", "email": "x@"}}, "applicant.email"),
        ({"data": {"tanggal_berangkat": "2026-12-20", "jenis_kelamin": "P"}}, "nama_ppiu"),
        (
            {"data": {"nama_ppiu": "A", "tanggal_berangkat": "besok", "jenis_kelamin": "P"}},
            "tanggal_berangkat",
        ),
        (
            {"data": {"nama_ppiu": "A", "tanggal_berangkat": "2026-12-20", "jenis_kelamin": "Z"}},
            "jenis_kelamin",
        ),
        (
            {
                "data": {
                    "nama_ppiu": "A",
                    "tanggal_berangkat": "2026-12-20",
                    "jenis_kelamin": "P",
                    "jumlah": "banyak",
                }
            },
            "jumlah",
        ),
        (
            {
                "data": {
                    "nama_ppiu": "A",
                    "tanggal_berangkat": "2026-12-20",
                    "jenis_kelamin": "P",
                    "siapa": "x",
                }
            },
            "siapa",
        ),
    ],
)
def test_each_validation_is_a_400_naming_the_field_and_writes_nothing(
    api_client, umrah, private_media, change, field
):
    response = post_submission(api_client, submission(**change))
    assert response.status_code == 400
    assert field in response.json()
    assert counts() == (0, 0, 0, 0)
    assert media_files(private_media) == []


def test_document_type_is_sniffed_from_the_bytes(api_client, umrah, private_media):
    fake = factories.pdf_upload("ktp.pdf", content=b"GIF89a-not-a-pdf", content_type="image/png")
    response = post_submission(api_client, files={"ktp": fake})
    assert response.status_code == 400 and "ktp" in response.json()
    png = factories.pdf_upload("ktp.bin", content=factories.PNG_BYTES, content_type="text/plain")
    response = post_submission(api_client, files={"ktp": png})
    assert response.status_code == 201
    assert Document.objects.get().content_type == "image/png"


def test_unknown_document_part_is_400(api_client, umrah):
    files = {"ktp": factories.pdf_upload(), "foto": factories.pdf_upload()}
    response = post_submission(api_client, files=files)
    assert response.status_code == 400 and "foto" in response.json()
    assert counts() == (0, 0, 0, 0)


def test_document_over_its_limit_is_413(api_client, umrah, private_media):
    umrah.documents.filter(code="ktp").update(max_bytes=20)
    response = post_submission(api_client)
    assert response.status_code == 413
    assert "ktp" in response.json()
    assert counts() == (0, 0, 0, 0)
    assert media_files(private_media) == []


def test_body_over_the_total_limit_is_413(api_client, umrah, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = post_submission(api_client)
    assert response.status_code == 413
    assert counts() == (0, 0, 0, 0)


def test_malformed_payload_is_400(api_client, umrah):
    response = api_client.post(
        "/api/v1/requests/", {"payload": "{not json", "ktp": factories.pdf_upload()}
    )
    assert response.status_code == 400
    response = api_client.post("/api/v1/requests/", data="[1, 2]", content_type="application/json")
    assert response.status_code == 400


def test_same_idempotency_key_and_body_replays_the_first_response(api_client, umrah):
    first = post_submission(api_client, **{"Idempotency-Key": "klik-1"})
    again = post_submission(api_client, **{"Idempotency-Key": "klik-1"})
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert ServiceRequest.objects.count() == 1
    assert IdempotencyKey.objects.get().request == ServiceRequest.objects.get()


def test_same_idempotency_key_with_another_body_is_409(api_client, umrah):
    post_submission(api_client, **{"Idempotency-Key": "klik-2"})
    other = submission(applicant={"name": "Budi", "phone": "081298765432"})
    response = post_submission(api_client, other, **{"Idempotency-Key": "klik-2"})
    assert response.status_code == 409
    other_file = {"ktp": factories.pdf_upload(content=factories.PDF_BYTES + b"x")}
    response = post_submission(api_client, files=other_file, **{"Idempotency-Key": "klik-2"})
    assert response.status_code == 409
    assert ServiceRequest.objects.count() == 1


def test_failed_attempt_does_not_burn_the_key(api_client, umrah):
    bad = post_submission(api_client, submission(service="x"), **{"Idempotency-Key": "k3"})
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    assert post_submission(api_client, **{"Idempotency-Key": "k3"}).status_code == 201


def test_a_clerk_submitting_is_the_counter_channel(api_client, umrah, clerk, staff):
    api_client.force_authenticate(clerk)
    assert post_submission(api_client).status_code == 201
    api_client.force_authenticate(staff)
    assert post_submission(api_client).status_code == 201
    channels = list(
        ServiceRequest.objects.order_by("pk").values_list("channel", "submitted_by__username")
    )
    assert channels == [("counter", "loket"), ("online", None)]


def test_submissions_are_rate_limited(api_client, umrah, settings):
    settings.SUBMIT_RATE_LIMIT = "2/min"
    responses = [post_submission(api_client) for _ in range(3)]
    assert [r.status_code for r in responses] == [201, 201, 429]
    assert 1 <= int(responses[2]["Retry-After"]) <= 60
    assert set(responses[2].json()) == {"detail"}
    assert ServiceRequest.objects.count() == 2


def test_registration_numbers_are_sequential(api_client, umrah):
    numbers = [post_submission(api_client).json()["registration_number"] for _ in range(3)]
    assert [n.split("-")[2] for n in numbers] == ["00001", "00002", "00003"]


def test_inactive_service_is_refused(api_client, umrah):
    umrah.is_active = False
    umrah.save()
    response = post_submission(api_client)
    assert response.status_code == 400 and "service" in response.json()


def test_member_helper_roles(umrah):
    # the fixture helper itself: a clerk of another office is not a counter clerk here
    user = member(factories.UnitFactory(), "clerk", "loket_lain")
    from config.exceptions import Forbidden
    from workflow.models import Channel

    with pytest.raises(Forbidden):
        factories.submit_request(
            umrah,
            data=json.loads(json.dumps(submission()["data"])),
            channel=Channel.COUNTER,
            acting_user=user,
        )
