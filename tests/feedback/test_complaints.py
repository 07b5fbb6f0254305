"""Complaints: filing, routing, working-day deadlines, anonymity, confidentiality, answers
by WhatsApp, the SP4N-LAPOR! hand-off record."""

import datetime

import pytest
from django.utils import timezone

from feedback import services
from feedback.models import Complaint
from notifications.models import Message
from organization.models import StaffMembership
from tests import factories
from workflow.deadlines import add_working_days

pytestmark = pytest.mark.django_db
TEXT = "Petugas meminta biaya tambahan yang tidak tercantum di standar layanan."


@pytest.fixture
def complaint_unit(umrah):
    unit = factories.UnitFactory(office=umrah.unit.office, code="ptsp", name="PTSP", kind="ptsp")
    officer = factories.UserFactory(username="petugas_aduan")
    StaffMembership.objects.create(user=officer, unit=unit, role="staff")
    return unit, officer


def _file(api_client, **body):
    return api_client.post("/api/v1/complaints/", {"text": TEXT, **body}, format="json")


def test_filed_complaint_is_routed_with_a_five_working_day_deadline(
    api_client, umrah, complaint_unit
):
    req = factories.submit_request(umrah)
    response = _file(
        api_client, registration_number=req.registration_number, contact="0812 1111 2222"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["tracking_code"].startswith("ADU-") and body["access_token"]
    complaint = Complaint.objects.get()
    assert complaint.unit == complaint_unit[0] and complaint.request == req
    received = timezone.localdate(complaint.received_at)
    assert complaint.due_date == add_working_days(received, 5)
    assert (complaint.due_date - received).days >= 5  # working days, never fewer calendar days


def test_deadline_skips_weekends_and_holidays():
    # Friday 2026-08-14: the 17th is Independence Day; 5 working days -> Monday 24 August
    assert add_working_days(datetime.date(2026, 8, 14), services.ANSWER_WORKING_DAYS) == (
        datetime.date(2026, 8, 24)
    )


def test_bad_input_is_400_and_writes_nothing(api_client, umrah, complaint_unit):
    assert _file(api_client, text="pendek", office="KJB").status_code == 400
    assert _file(api_client, office="KJB", anonymous="ya").status_code == 400
    assert _file(api_client, office="KJB", contact="12").status_code == 400
    assert _file(api_client).status_code == 400  # no office, no registration number
    assert _file(api_client, registration_number="KJB-2026-99999-X").status_code == 400
    assert (
        api_client.post("/api/v1/complaints/", "[]", content_type="application/json").status_code
        == 400
    )
    assert not Complaint.objects.exists()


def test_anonymous_complaint_never_shows_the_reporter_to_staff(
    api_client, client, umrah, complaint_unit
):
    req = factories.submit_request(umrah)
    _unit, officer = complaint_unit
    body = _file(
        api_client,
        anonymous=True,
        name="Budi Santoso",
        contact="0812 1111 2222",
        registration_number=req.registration_number,
    ).json()
    complaint = Complaint.objects.get()
    assert complaint.reporter_name == ""  # not even kept
    client.force_login(officer)
    for html in (
        client.get("/staf/pengaduan/").content.decode(),
        client.get(f"/staf/pengaduan/{body['tracking_code']}/").content.decode(),
    ):
        for secret in ("Budi Santoso", "+6281211112222", "0812", req.registration_number):
            assert secret not in html
    api_client.force_authenticate(officer)
    for response in (
        api_client.get("/api/v1/complaints/"),
        api_client.get(f"/api/v1/complaints/{body['tracking_code']}/"),
    ):
        assert response.status_code == 200
        text = response.content.decode()
        for secret in ("Budi Santoso", "+6281211112222", req.registration_number):
            assert secret not in text


def test_named_complaint_shows_the_reporter_to_the_complaint_unit_only(
    api_client, client, umrah, complaint_unit, outsider
):
    _unit, officer = complaint_unit
    code = _file(api_client, office="KJB", name="Budi Santoso").json()["tracking_code"]
    client.force_login(officer)
    assert "Budi Santoso" in client.get(f"/staf/pengaduan/{code}/").content.decode()
    client.force_login(outsider)
    assert client.get(f"/staf/pengaduan/{code}/").status_code == 404


def test_confidential_text_is_on_no_public_page(api_client, client, umrah, complaint_unit):
    req = factories.submit_request(umrah)
    _file(api_client, confidential=True, registration_number=req.registration_number)
    for path in (
        f"/cek-status/{req.registration_number}/",
        f"/api/v1/track/{req.registration_number}/",
        "/ikm/",
        "/pengaduan/",
        f"/pengaduan/{Complaint.objects.get().tracking_code}/",
    ):
        assert TEXT not in client.get(path).content.decode(), path
    assert (
        api_client.get(f"/api/v1/complaints/{Complaint.objects.get().tracking_code}/").status_code
        == 404
    )


def test_answer_reaches_the_complainant_and_their_whatsapp(
    api_client, client, umrah, complaint_unit
):
    _unit, officer = complaint_unit
    body = _file(api_client, office="KJB", contact="0812 1111 2222").json()
    code, token = body["tracking_code"], body["access_token"]
    client.force_login(officer)
    client.post(f"/staf/pengaduan/{code}/jawab/", {"text": "Biaya sudah dikembalikan. Maaf."})
    seen = api_client.get(f"/api/v1/complaints/{code}/", headers={"X-Access-Token": token}).json()
    assert seen["status"] == "answered"
    assert [a["text"] for a in seen["answers"]] == ["Biaya sudah dikembalikan. Maaf."]
    message = Message.objects.get(kind="complaint_answered")
    assert message.recipient == "+6281211112222" and code in message.body
    assert f"/pengaduan/{code}/?token={token}" in message.body
    wrong = api_client.get(f"/api/v1/complaints/{code}/", headers={"X-Access-Token": "nope"})
    assert wrong.status_code == 404
    # the page, from the private link
    client.logout()
    page = client.get(f"/pengaduan/{code}/?token={token}", follow=True).content.decode()
    assert "Biaya sudah dikembalikan" in page


def test_lapor_handoff_record(client, api_client, umrah, complaint_unit):
    _unit, officer = complaint_unit
    code = _file(api_client, office="KJB").json()["tracking_code"]
    client.force_login(officer)
    client.post(f"/staf/pengaduan/{code}/lapor/", {"status": "sent", "tracking_id": ""})
    assert not hasattr(Complaint.objects.get(), "lapor")  # tracking id required
    client.post(
        f"/staf/pengaduan/{code}/lapor/", {"status": "followed_up", "tracking_id": "LPR123"}
    )
    handoff = Complaint.objects.get().lapor
    today = timezone.localdate()
    assert (handoff.tracking_id, handoff.status) == ("LPR123", "followed_up")
    assert handoff.sent_on == handoff.forwarded_on == handoff.followed_up_on == today
    assert handoff.closed_on is None
