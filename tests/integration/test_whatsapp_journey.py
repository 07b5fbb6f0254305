"""A request walked through its whole life with the real workflow services, a real Celery
worker on Redis, the Twilio stand-in and signed callbacks into the live server."""

import pytest

from notifications.models import Message
from organization.models import StaffMembership
from tests import factories
from tests.integration.whatsapp_stack import wait_until
from workflow import services as workflow
from workflow.models import Task

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PHONE = "+6281234567890"


@pytest.fixture
def service(db):
    office = factories.OfficeFactory(code="KJB", name="Kankemenag Kota Jambi")
    unit = factories.UnitFactory(office=office, name="Seksi PHU")
    service = factories.ServiceTypeFactory(name="Rekomendasi Paspor Umrah", unit=unit)
    factories.FormFieldFactory(service=service, code="nama_ppiu", label="Nama PPIU")
    factories.StepFactory(service=service, order=1, name="Verifikasi berkas")
    factories.StepFactory(service=service, order=2, name="Penandatanganan", may_return=True)
    return service


@pytest.fixture
def petugas(service):
    user = factories.UserFactory(username="petugas")
    StaffMembership.objects.create(user=user, unit=service.unit, role="staff")
    return user


def open_task(request):
    return Task.objects.get(request=request, status=Task.Status.OPEN)


def test_every_transition_sends_exactly_one_message_in_order(stack, service, petugas):
    stack.standin.read_receipts = False
    stack.start_worker()

    request = factories.submit_request(
        service,
        data={"nama_ppiu": "PT Amanah"},
        applicant={"name": "Siti Aminah", "phone": "0812-3456-7890"},
    )
    workflow.task_claim(task=open_task(request), user=petugas)  # started, step 1
    workflow.task_complete(task=open_task(request), user=petugas, decision="approve")  # step 2
    request.refresh_from_db()
    workflow.task_complete(
        task=open_task(request), user=petugas, decision="return", note="Scan KTP buram"
    )
    request.refresh_from_db()
    workflow.service_request_resubmit(
        request=request, data={"nama_ppiu": "PT Amanah"}, documents={}
    )
    request.refresh_from_db()
    workflow.task_complete(task=open_task(request), user=petugas, decision="approve")
    request.refresh_from_db()
    assert request.status == "completed"

    expected = ["submitted", "step_started", "step_started", "returned", "resubmitted", "completed"]
    try:
        received = stack.standin.wait_for_messages(len(expected), timeout=60, to=PHONE)
        wait_until(
            lambda: set(Message.objects.values_list("status", flat=True)) == {"delivered"},
            timeout=30,
            what="every row delivered",
        )
    except (TimeoutError, AssertionError):
        print(stack.logs())
        raise
    stack.standin.wait_callbacks_done()

    rows = list(Message.objects.order_by("created_at", "id"))
    assert [m.kind for m in rows] == expected
    transitions = request.events.filter(is_transition=True).order_by("at", "id")
    assert [m.event_id for m in rows] == [e.pk for e in transitions]
    assert len(stack.standin.messages) == len(expected)  # exactly one per transition
    assert [m["Body"] for m in received] == [m.body for m in rows]  # in order
    for sent in received:
        assert request.registration_number in sent["Body"]
        assert sent["To"] == f"whatsapp:{PHONE}"
    assert "Penandatanganan" in received[2]["Body"]
    assert "Scan KTP buram" in received[3]["Body"]
    assert (
        f"/permohonan/{request.registration_number}/?token={request.access_token}"
        in (received[3]["Body"])
    )
    assert {m.status for m in rows} == {"delivered"}
    assert all(m.attempts == 1 and m.provider_sid for m in rows)


def test_a_cancelled_request_tells_the_applicant(stack, service):
    stack.start_worker()
    request = factories.submit_request(
        service, data={"nama_ppiu": "PT Amanah"}, applicant={"name": "A", "phone": PHONE}
    )
    workflow.service_request_cancel(request=request, note="Tidak jadi berangkat")
    stack.standin.wait_for_messages(2, timeout=60, to=PHONE)
    wait_until(
        lambda: not Message.objects.filter(status__in=["queued", "sending"]).exists(),
        timeout=30,
        what="every row handed over",
    )
    rows = list(Message.objects.order_by("created_at", "id"))
    assert [m.kind for m in rows] == ["submitted", "cancelled"]
    received = [m for m in stack.standin.messages if m["To"] == f"whatsapp:{PHONE}"]
    assert len(received) == 2  # one each: a doubled send would show a third
    assert sorted(m["sid"] for m in received) == sorted(m.provider_sid for m in rows)
    assert "dibatalkan" in received[1]["Body"]
    assert request.registration_number in received[1]["Body"]


def test_invalid_number_is_shown_on_the_staff_request_page(stack, service, petugas, client):
    stack.standin.invalid_numbers.add(PHONE)
    stack.start_worker()
    request = factories.submit_request(
        service, data={"nama_ppiu": "PT Amanah"}, applicant={"name": "A", "phone": PHONE}
    )
    wait_until(lambda: Message.objects.filter(status="failed").exists(), timeout=60, what="failed")
    client.force_login(petugas)
    page = client.get(f"/staf/permohonan/{request.registration_number}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "whatsapp-panel" in text
    assert "21211" in text
    assert len(stack.standin.requests_seen) == 1


def test_redis_down_during_an_api_submission_then_the_message_goes_out(stack, service, client):
    """The citizen's submission through the real API succeeds while the broker is down;
    the outbox row waits and the sweeper sends it once Redis is back."""
    from tests import servers

    assert servers.redis is not None, "needs the throw-away Redis started by tests.servers"
    stack.standin.read_receipts = False
    stack.start_worker()
    servers.redis.stop()
    response = client.post(
        "/api/v1/requests/",
        {
            "service": service.code,
            "applicant": {"name": "Siti Aminah", "phone": "0812-3456-7890"},
            "data": {"nama_ppiu": "PT Amanah"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    number = response.json()["registration_number"]
    message = Message.objects.get()
    assert message.status == "queued"
    assert stack.standin.requests_seen == []
    servers.redis.start()
    wait_until(
        lambda: Message.objects.filter(pk=message.pk, status="delivered").exists(),
        timeout=90,
        what="the queued message delivered after Redis returned",
    )
    assert len(stack.standin.messages) == 1
    assert number in stack.standin.messages[0]["Body"]
    assert stack.standin.messages[0]["To"] == f"whatsapp:{PHONE}"
