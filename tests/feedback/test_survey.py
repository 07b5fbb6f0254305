"""The SKM survey: from the completion message, once per request, anonymous results."""

import re

import pytest

from feedback.models import SurveyResponse
from notifications.models import Message
from tests import factories
from tests.documents.fixtures import at_result_step
from workflow.services import task_complete

pytestmark = pytest.mark.django_db
ANSWERS = {f"u{i}": 3 for i in range(1, 10)}


@pytest.fixture
def completed(umrah, staff, tu_staff):
    req, task = at_result_step(umrah, staff, tu_staff)
    task_complete(task=task, user=tu_staff, decision="approve", result_file=factories.pdf_upload())
    req.refresh_from_db()
    return req


def test_completion_message_carries_the_survey_and_complaint_links(completed):
    body = Message.objects.get(request=completed, kind="completed").body
    assert f"/survei/{completed.registration_number}/?token={completed.access_token}" in body
    assert f"/pengaduan/?nomor={completed.registration_number}" in body


def test_api_once_per_request(api_client, completed):
    url = f"/api/v1/requests/{completed.registration_number}/survey/"
    headers = {"X-Access-Token": completed.access_token}
    first = api_client.post(
        url, {"answers": ANSWERS, "comment": "Cepat"}, format="json", headers=headers
    )
    assert first.status_code == 201
    again = api_client.post(url, {"answers": ANSWERS}, format="json", headers=headers)
    assert again.status_code == 409
    assert SurveyResponse.objects.count() == 1
    response = SurveyResponse.objects.get()
    assert (response.u1, response.comment, response.channel) == (3, "Cepat", "online")


def test_api_refuses_bad_answers_and_wrong_token(api_client, completed):
    url = f"/api/v1/requests/{completed.registration_number}/survey/"
    headers = {"X-Access-Token": completed.access_token}
    missing = api_client.post(url, {"answers": {"u1": 4}}, format="json", headers=headers)
    assert missing.status_code == 400 and "u9" in missing.json()
    out_of_range = api_client.post(
        url, {"answers": {**ANSWERS, "u3": 5}}, format="json", headers=headers
    )
    assert out_of_range.status_code == 400 and "u3" in out_of_range.json()
    unknown = api_client.post(
        url, {"answers": {**ANSWERS, "u10": 1}}, format="json", headers=headers
    )
    assert unknown.status_code == 400
    assert (
        api_client.post(url, "[1]", content_type="application/json", headers=headers).status_code
        == 400
    )
    wrong = api_client.post(
        url, {"answers": ANSWERS}, format="json", headers={"X-Access-Token": "x"}
    )
    assert wrong.status_code == 404
    assert not SurveyResponse.objects.exists()


def test_survey_waits_for_completion(api_client, umrah):
    req = factories.submit_request(umrah)
    response = api_client.post(
        f"/api/v1/requests/{req.registration_number}/survey/",
        {"answers": ANSWERS},
        format="json",
        headers={"X-Access-Token": req.access_token},
    )
    assert response.status_code == 409


def test_the_response_cannot_be_traced_to_the_request(completed):
    from feedback import services

    services.survey_submit(request=completed, answers=ANSWERS)
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert "request" not in fields and "answered_on" in fields and "created_at" not in fields
    row = SurveyResponse.objects.values().get()
    text = repr(row)
    for value in (completed.registration_number, completed.applicant_phone, completed.access_token):
        assert value not in text
    assert row["request_digest"] != str(completed.pk)


def test_survey_page_from_the_whatsapp_link(client, completed):
    body = Message.objects.get(request=completed, kind="completed").body
    link = re.search(r"https?://\S+/survei/\S+", body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 302 and "token" not in response["Location"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert html.index("Persyaratan") < html.index("Sarana dan prasarana")
    assert "Sangat baik" in html or "sangat sesuai" in html.lower()
    partial = client.post(response["Location"], {"u1": "4"})
    assert partial.status_code == 400
    sent = client.post(
        response["Location"], {**{k: str(v) for k, v in ANSWERS.items()}, "comment": ""}
    )
    assert sent.status_code == 200
    assert SurveyResponse.objects.count() == 1
    assert client.get(response["Location"]).status_code == 409


def test_counter_tablet_survey(client, completed, clerk):
    client.force_login(clerk)
    start = client.get("/staf/loket/survei/", {"nomor": completed.registration_number})
    assert start.status_code == 302
    sent = client.post(start["Location"], {k: str(v) for k, v in ANSWERS.items()})
    assert sent.status_code == 200
    assert SurveyResponse.objects.get().channel == "counter"
    outsider = factories.UserFactory(username="bukan_loket")
    client.force_login(outsider)
    assert client.get("/staf/loket/survei/").status_code == 403


def test_public_ikm_page_shows_the_office_figures(client, completed):
    from feedback import services

    services.survey_submit(request=completed, answers=ANSWERS, comment="Rahasia saya")
    html = client.get("/ikm/", {"kantor": completed.office.code}).content.decode()
    assert "75.00" in html  # all 3s: NRR 3 -> IKM 75.00, C
    assert "Kurang baik" in html
    assert "Rahasia saya" not in html  # comments are for the office's staff only
