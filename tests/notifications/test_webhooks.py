"""Twilio webhooks: signature checks, forward-only statuses, the CEK/STATUS command."""

import pytest
from twilio.request_validator import RequestValidator

from notifications.models import Contact, MessageStatus, StatusCallback
from tests import factories
from tests.twilio_standin import AUTH_TOKEN

STATUS_PATH = "/webhooks/twilio/status/"
INBOUND_PATH = "/webhooks/twilio/inbound/"


@pytest.fixture(autouse=True)
def signed_settings(settings):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.PUBLIC_BASE_URL = "https://alur.example.go.id"
    return settings


def post_signed(client, path, params, *, token=AUTH_TOKEN, signature=None):
    url = "https://alur.example.go.id" + path
    if signature is None:
        signature = RequestValidator(token).compute_signature(url, params)
    headers = {"X-Twilio-Signature": signature} if signature else {}
    return client.post(path, params, headers=headers)


def callback(client, sid, status, *, message_id=None, **extra):
    path = STATUS_PATH + (f"?m={message_id}" if message_id else "")
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC1", **extra}
    return post_signed(client, path, params)


@pytest.fixture
def sent_message(db):
    return factories.MessageFactory(status=MessageStatus.SENT, provider_sid="SM1")


def test_signed_status_callback_moves_the_message_forward(client, sent_message):
    assert callback(client, "SM1", "delivered").status_code == 204
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.DELIVERED
    assert sent_message.delivered_at is not None
    assert callback(client, "SM1", "read").status_code == 204
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.READ


def test_replayed_and_out_of_order_callbacks_change_nothing(client, sent_message):
    for status in ["read", "delivered", "sent", "queued", "read", "delivered"]:
        assert callback(client, "SM1", status).status_code == 204
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.READ
    applied = list(StatusCallback.objects.values_list("provider_status", "applied"))
    assert applied == [
        ("read", True),
        ("delivered", False),
        ("sent", False),
        ("queued", False),
        ("read", False),
        ("delivered", False),
    ]


def test_failed_callback_records_the_error_and_is_final(client, sent_message):
    callback(client, "SM1", "failed", ErrorCode="63016", ErrorMessage="outside the window")
    callback(client, "SM1", "delivered")
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.FAILED
    assert sent_message.error_code == "63016"
    assert sent_message.error_message == "outside the window"


def test_a_late_delivery_receipt_overrides_undelivered(client, sent_message):
    callback(client, "SM1", "undelivered", ErrorCode="63024")
    callback(client, "SM1", "delivered")
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.DELIVERED
    assert sent_message.error_code == ""


def test_a_callback_before_our_own_record_of_the_sid_finds_the_row(client, db):
    message = factories.MessageFactory(status=MessageStatus.SENDING)
    callback(client, "SMearly", "sent", message_id=message.pk)
    message.refresh_from_db()
    assert message.provider_sid == "SMearly"
    assert message.status == MessageStatus.SENT


def test_the_m_parameter_cannot_steal_another_rows_sid(client, sent_message):
    other = factories.MessageFactory(status=MessageStatus.SENT, provider_sid="SM2")
    callback(client, "SM1", "delivered", message_id=other.pk)
    other.refresh_from_db()
    sent_message.refresh_from_db()
    assert other.status == MessageStatus.SENT
    assert sent_message.status == MessageStatus.DELIVERED


def test_unknown_sid_is_recorded_and_ignored(client, db):
    assert callback(client, "SMnobody", "delivered").status_code == 204
    assert StatusCallback.objects.get().applied is False


@pytest.mark.parametrize("path", [STATUS_PATH, INBOUND_PATH])
@pytest.mark.parametrize(
    "how", ["missing", "forged", "wrong token", "tampered params", "other url"]
)
def test_unsigned_or_forged_webhooks_are_refused_and_nothing_recorded(
    client, sent_message, path, how
):
    params = {"MessageSid": "SM1", "MessageStatus": "read", "From": "whatsapp:+628", "Body": "CEK"}
    url = "https://alur.example.go.id" + path
    good = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    signature = {
        "missing": "",
        "forged": "bm90IGEgc2lnbmF0dXJl",
        "wrong token": RequestValidator("another-token").compute_signature(url, params),
        "tampered params": good,
        "other url": RequestValidator(AUTH_TOKEN).compute_signature(
            "https://evil.example" + path, params
        ),
    }[how]
    if how == "tampered params":
        params = dict(params, MessageStatus="failed", Body="STATUS x")
    headers = {"X-Twilio-Signature": signature} if signature else {}
    response = client.post(path, params, headers=headers)
    assert response.status_code == 403
    sent_message.refresh_from_db()
    assert sent_message.status == MessageStatus.SENT
    assert not StatusCallback.objects.exists()
    assert not Contact.objects.exists()


def test_webhooks_are_post_only(client, db):
    assert client.get(STATUS_PATH).status_code == 405
    assert client.get(INBOUND_PATH).status_code == 405


def test_status_callback_without_sid_is_a_400(client, db):
    response = post_signed(client, STATUS_PATH, {"MessageStatus": "sent"})
    assert response.status_code == 400
    assert not StatusCallback.objects.exists()


def inbound(client, body, sender="whatsapp:+6281298765432"):
    return post_signed(client, INBOUND_PATH, {"From": sender, "Body": body, "MessageSid": "SMi"})


@pytest.fixture
def in_progress(db):
    service = factories.ServiceTypeFactory(name="Legalisir Ijazah")
    step = factories.StepFactory(service=service, order=1, name="Verifikasi berkas")
    request = factories.ServiceRequestFactory(
        service=service, current_step=step, applicant_name="Budi Rahasia"
    )
    from workflow.models import ServiceRequest

    ServiceRequest.objects.filter(pk=request.pk).update(status="in_progress")
    request.refresh_from_db()
    return request


@pytest.mark.parametrize("command", ["CEK", "cek", "Cek", "STATUS", "status", "Status"])
def test_status_command_any_case_answers_with_status_and_step(client, in_progress, command):
    number = in_progress.registration_number
    response = inbound(client, f"  {command} {number.lower()} ")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    text = response.content.decode()
    assert "<Response><Message>" in text
    assert number in text
    assert "Status: Diproses" in text
    assert "Tahap: Verifikasi berkas" in text
    assert "Legalisir Ijazah" in text
    # No personal data.
    assert "Budi" not in text
    assert in_progress.applicant_phone not in text
    assert in_progress.access_token not in text


def test_status_command_reads_the_number_without_separators(client, in_progress):
    compact = in_progress.registration_number.replace("-", "")
    assert "Diproses" in inbound(client, f"cek {compact}").content.decode()


def test_a_mistyped_number_gets_its_own_answer(client, in_progress):
    number = in_progress.registration_number
    wrong = number[:-1] + ("A" if number[-1] != "A" else "B")
    text = inbound(client, f"CEK {wrong}").content.decode()
    assert "bukan nomor registrasi yang valid" in text


def test_an_unknown_number_gets_its_own_answer(client, in_progress):
    from workflow.numbers import format_number

    unknown = format_number(office_code="ZZZ", year=2026, sequence=99999)
    text = inbound(client, f"STATUS {unknown}").content.decode()
    assert "tidak ditemukan" in text


@pytest.mark.parametrize("body", ["halo", "", "cek", "STATUSKU 123", "mau tanya"])
def test_anything_else_gets_the_help_text(client, db, body):
    text = inbound(client, body).content.decode()
    assert "CEK &lt;nomor registrasi&gt;" in text


def test_inbound_records_the_senders_last_message_time(client, db):
    inbound(client, "halo", sender="whatsapp:+6281298765432")
    contact = Contact.objects.get()
    assert contact.phone == "+6281298765432"
    first = contact.last_inbound_at
    inbound(client, "halo lagi", sender="whatsapp:+6281298765432")
    contact.refresh_from_db()
    assert contact.last_inbound_at > first


def test_inbound_is_rate_limited_per_sender(client, db):
    for _ in range(10):
        assert "<Message>" in inbound(client, "halo").content.decode()
    silent = inbound(client, "halo").content.decode()
    assert "<Message>" not in silent
    assert "<Message>" in inbound(client, "halo", sender="whatsapp:+6281300000001").content.decode()
