"""Bad input to the API is a 400 (or 413) with the JSON error shape, never a 500, never a
stalled worker, and nothing is written."""

import json
import time

import pytest

from tests import factories
from tests.hardening.conftest import post_submission, submission, umrah_data
from workflow import services
from workflow.models import RequestEvent, ServiceRequest, Task

pytestmark = pytest.mark.django_db


def post_json(client, body, url="/api/v1/requests/", **headers):
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, raw, content_type="application/json", headers=headers)


def assert_json_error(response, status=400):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert isinstance(body, dict) and body
    for value in body.values():
        assert isinstance(value, str | list | dict)


@pytest.mark.parametrize("number", ["1e300000", "1e1000000", "-1e300000", "9" * 39 + "e99999"])
def test_huge_exponent_number_is_refused_at_once_not_a_stalled_worker(api_client, umrah, number):
    # One refused submission first: the process' first request pays for imports (URLconf,
    # views), which is not what this measures.
    post_submission(api_client, submission(data=umrah_data(jumlah="banyak")))
    started = time.process_time()
    response = post_submission(api_client, submission(data=umrah_data(jumlah=number)))
    assert time.process_time() - started < 1.0  # int(Decimal("1e1000000")) takes > 30 s
    assert_json_error(response)
    assert "jumlah" in response.json()
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize(
    "number, message",
    [
        ("1" * 400 + ".5", "40"),
        ("-3", "0"),
        ("1e12", None),
        ("NaN", None),
        ("Infinity", None),
        ("1.1234567", "6"),
    ],
)
def test_out_of_range_numbers_are_a_field_error_not_a_500(api_client, umrah, number, message):
    response = post_submission(api_client, submission(data=umrah_data(jumlah=number)))
    assert_json_error(response)
    if message:
        assert message in response.json()["jumlah"][0]
    assert ServiceRequest.objects.count() == 0


def test_negative_count_is_refused(api_client, umrah):
    response = post_submission(api_client, submission(data=umrah_data(jumlah=-2)))
    assert_json_error(response)
    assert "jumlah" in response.json() and "nama_ppiu" not in response.json()


def test_a_valid_number_still_goes_through(api_client, umrah):
    response = post_submission(api_client, submission(data=umrah_data(jumlah="12,5")))
    assert response.status_code == 201
    assert ServiceRequest.objects.get().data["jumlah"] == 12.5


@pytest.mark.parametrize("raw", ["null", "[1]", '"x"', "1", "true", "{", "{'a': 1}"])
def test_a_body_that_is_not_a_json_object_is_400(api_client, umrah, raw):
    assert_json_error(post_json(api_client, raw))
    assert ServiceRequest.objects.count() == 0


def _nested(depth):
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [50, 100_000])
def test_deeply_nested_json_body_is_400_not_a_recursion_crash(api_client, umrah, depth):
    raw = '{"service": "rekomendasi-paspor-umrah", "data": {"nama_ppiu": ' + _nested(depth) + "}}"
    assert_json_error(post_json(api_client, raw))


def test_deeply_nested_payload_part_is_400(api_client, umrah):
    response = api_client.post(
        "/api/v1/requests/",
        {"payload": '{"data": ' + _nested(100_000) + "}", "ktp": factories.pdf_upload()},
        format="multipart",
    )
    assert_json_error(response)


@pytest.mark.parametrize(
    "applicant_change",
    [
        {"name": "Siti \ud800 Aminah"},  # a lone surrogate: not encodable for PostgreSQL
        {"name": "Siti\x00Aminah"},
        {"name": {"a": 1}},
        {"name": ["Siti"]},
        {"email": "a" * 250 + "@contoh.id"},
        {"email": "siti\x00@contoh.id"},
        {"phone": "0812" * 5000},
        {"phone": {"x": 1}},
        {"nik": ["3273015508900001"]},
    ],
)
def test_bad_applicant_values_are_field_errors_not_500s(api_client, umrah, applicant_change):
    body = submission()
    body["applicant"] = {**body["applicant"], **applicant_change}
    raw = json.dumps(body)  # json.dumps escapes \ud800 and \x00 as JSON allows
    response = api_client.post(
        "/api/v1/requests/", {"payload": raw, "ktp": factories.pdf_upload()}, format="multipart"
    )
    assert_json_error(response)
    assert ServiceRequest.objects.count() == 0
    # Same through a JSON body.
    assert_json_error(post_json(api_client, body))


def test_a_name_sent_as_an_object_is_not_stored_as_its_repr(api_client, umrah):
    body = submission()
    body["applicant"]["name"] = {"a": 1}
    response = post_submission(api_client, body)
    assert response.status_code == 400
    assert "applicant.name" in response.json()
    assert not ServiceRequest.objects.filter(applicant_name="{'a': 1}").exists()


@pytest.mark.parametrize("value", ["Biro\x00Wisata", "Biro\x07Wisata", "\udfff"])
def test_control_characters_in_a_text_answer_are_refused(api_client, umrah, value):
    response = post_submission(api_client, submission(data=umrah_data(nama_ppiu=value)))
    assert_json_error(response)
    assert ServiceRequest.objects.count() == 0


def test_newlines_and_tabs_in_text_are_kept(api_client, umrah):
    response = post_submission(
        api_client, submission(data=umrah_data(nama_ppiu="PT\tAmanah\nJambi"))
    )
    assert response.status_code == 201


@pytest.fixture
def claimed_task(umrah, staff):
    request = factories.submit_request(umrah, data=umrah_data())
    task = Task.objects.get(request=request)
    services.task_claim(task=task, user=staff)
    return task


@pytest.mark.parametrize("raw", ["[1]", "null", '"x"', "3", '{"decision": ' + _nested(50000) + "}"])
def test_task_complete_with_a_body_that_is_not_an_object_is_400(
    api_client, staff, claimed_task, raw
):
    api_client.force_authenticate(staff)
    events = RequestEvent.objects.filter(request=claimed_task.request).count()
    response = api_client.post(
        f"/api/v1/tasks/{claimed_task.pk}/complete/", raw, content_type="application/json"
    )
    assert_json_error(response)
    assert RequestEvent.objects.filter(request=claimed_task.request).count() == events


def test_nul_in_a_staff_note_is_400_not_a_database_error(api_client, staff, claimed_task):
    api_client.force_authenticate(staff)
    for post in (
        lambda body: api_client.post(
            f"/api/v1/tasks/{claimed_task.pk}/complete/", body, format="json"
        ),
        lambda body: api_client.post(
            f"/api/v1/tasks/{claimed_task.pk}/complete/", body, format="multipart"
        ),
    ):
        assert_json_error(post({"decision": "return", "note": "KTP\x00 buram"}))
    claimed_task.request.refresh_from_db()
    assert claimed_task.request.status == "in_progress"


def test_deeply_nested_correction_codes_are_400(api_client, staff, claimed_task):
    api_client.force_authenticate(staff)
    response = api_client.post(
        f"/api/v1/tasks/{claimed_task.pk}/complete/",
        '{"decision": "return", "note": "x", "correction_codes": ' + _nested(100_000) + "}",
        content_type="application/json",
    )
    assert_json_error(response)


def test_nul_in_a_query_parameter_is_400(api_client, staff):
    api_client.force_authenticate(staff)
    assert_json_error(api_client.get("/api/v1/tasks/?service=a%00b"))
