"""SKP transitions write WhatsApp outbox rows (same transaction) and deliver them after
commit through the ordinary pipeline (here the console channel, in-process)."""

from types import SimpleNamespace

import pytest
from django.db import transaction

from notifications import services
from notifications.models import DeliveryAttempt, Message, MessageKind, MessageStatus
from skp import services as skp_services
from skp.models import Skp
from skp.signals import skp_transition_recorded
from tests import factories

pytestmark = pytest.mark.django_db

OWNER_PHONE, HEAD_PHONE, PLT_PHONE = "+6281234567890", "+6281298765432", "+6285311112222"


@pytest.fixture(autouse=True)
def _console(settings):
    settings.WHATSAPP_BACKEND = "console"
    settings.PUBLIC_BASE_URL = "https://alur.example.go.id"
    settings.LANGUAGE_CODE = "id"


@pytest.fixture
def org():
    unit = factories.UnitFactory(name="Seksi Pendidikan Madrasah")
    head_position = factories.PositionFactory(unit=unit, name="Kepala Seksi", kind="pengawas")
    staff_position = factories.PositionFactory(
        unit=unit, name="Pengelola Data Madrasah", superior=head_position
    )
    owner = factories.EmployeeFactory(name="Siti Rahmawati", phone="0812-3456-7890")
    head = factories.EmployeeFactory(name="Ahmad Fauzi", phone="081298765432")
    factories.PositionHoldingFactory(employee=owner, position=staff_position)
    factories.PositionHoldingFactory(employee=head, position=head_position)
    skp = factories.SkpFactory(employee=owner, position=staff_position)
    factories.IndicatorFactory(rhk=factories.RhkFactory(skp=skp))
    return SimpleNamespace(owner=owner, head=head, head_position=head_position, skp=skp)


def submit(org, capture):
    with capture(execute=True):
        return skp_services.skp_submit(skp=org.skp, user=org.owner.user)


def test_submit_tells_the_pejabat_penilai_and_is_delivered(org, django_capture_on_commit_callbacks):
    skp = submit(org, django_capture_on_commit_callbacks)
    message = Message.objects.get()
    assert message.kind == MessageKind.SKP_SUBMITTED
    assert message.recipient == HEAD_PHONE
    assert message.request is None and message.event is None
    assert message.skp_event.skp_id == skp.pk and message.skp_event.action == "submitted"
    assert message.idempotency_key == f"skp:{message.skp_event_id}:{HEAD_PHONE}:whatsapp"
    assert "Siti Rahmawati" in message.body
    assert str(skp.year) in message.body
    assert "menunggu persetujuan Anda" in message.body  # Bahasa Indonesia by default
    assert f"https://alur.example.go.id/staf/skp/{skp.pk}/" in message.body
    assert org.owner.nip not in message.body
    # Delivered after commit, in-process, through the console channel.
    assert message.status == MessageStatus.SENT
    assert message.backend == "console"
    assert message.provider_sid == f"console-{message.pk}"
    assert DeliveryAttempt.objects.get(message=message).outcome == "accepted"


def test_submit_goes_to_the_plt_when_one_is_in_force(org, django_capture_on_commit_callbacks):
    plt = factories.EmployeeFactory(name="Rina Marlina", phone="085311112222")
    factories.ActingAssignmentFactory(employee=plt, position=org.head_position)
    submit(org, django_capture_on_commit_callbacks)
    assert list(Message.objects.values_list("recipient", flat=True)) == [PLT_PHONE]


def test_return_tells_the_owner_with_the_note(org, django_capture_on_commit_callbacks):
    skp = submit(org, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.skp_return(skp=skp, user=org.head.user, note="Target terlalu rendah")
    message = Message.objects.get(kind=MessageKind.SKP_RETURNED)
    assert message.recipient == OWNER_PHONE
    assert "dikembalikan" in message.body
    assert "Target terlalu rendah" in message.body
    assert message.content_variables["4"] == "Target terlalu rendah"
    assert message.status == MessageStatus.SENT


def test_approve_and_reopen_tell_the_owner(org, django_capture_on_commit_callbacks):
    skp = submit(org, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.skp_approve(skp=skp, user=org.head.user)
    approved = Message.objects.get(kind=MessageKind.SKP_APPROVED)
    assert approved.recipient == OWNER_PHONE
    assert "telah disetujui" in approved.body
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.skp_reopen(skp=skp, user=org.head.user, note="Revisi anggaran")
    reopened = Message.objects.get(kind=MessageKind.SKP_REOPENED)
    assert reopened.recipient == OWNER_PHONE
    assert "Revisi anggaran" in reopened.body
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 3


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("kind", [k for k in MessageKind.values if k.startswith("skp_")])
def test_every_skp_default_text_renders_with_the_link(kind, language):
    from notifications import texts

    skp = SimpleNamespace(pk=7, year=2026, employee=SimpleNamespace(name="Siti"))
    body = texts.render(texts.SKP_TEXTS[language][kind], texts.skp_context(skp=skp, note="N"))
    assert "Siti" in body and "2026" in body
    assert body.endswith("/staf/skp/7/")


def test_english_texts(org, django_capture_on_commit_callbacks, settings):
    settings.LANGUAGE_CODE = "en"
    submit(org, django_capture_on_commit_callbacks)
    message = Message.objects.get()
    assert message.language == "en"
    assert "The " in message.body and "awaits your approval" in message.body


@pytest.mark.parametrize("phone", ["", "12", "bukan nomor"])
def test_no_usable_phone_no_message_and_no_error(org, django_capture_on_commit_callbacks, phone):
    org.head.phone = phone
    org.head.save()
    skp = submit(org, django_capture_on_commit_callbacks)
    assert skp.status == "submitted"
    assert not Message.objects.exists()


def test_a_rolled_back_transition_leaves_no_message(org, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        skp_services.skp_submit(skp=org.skp, user=org.owner.user)
        assert Message.objects.count() == 1  # written inside the transition
        raise RuntimeError("something after the outbox row failed")
    assert callbacks == []
    assert not Message.objects.exists()
    assert Skp.objects.get(pk=org.skp.pk).status == "draft"


def test_replaying_the_signal_does_not_double(org, django_capture_on_commit_callbacks):
    skp = submit(org, django_capture_on_commit_callbacks)
    event = skp.events.get(action="submitted")
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        skp_transition_recorded.send(sender=Skp, skp=skp, event=event)
        assert services.skp_transition_notify(skp=skp, event=event) == []
    assert callbacks == []
    assert Message.objects.count() == 1


def test_failed_skp_message_can_be_sent_again(org, django_capture_on_commit_callbacks):
    submit(org, django_capture_on_commit_callbacks)
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        copy = services.message_resend(message_id=message.pk)
    copy.refresh_from_db()
    assert copy.skp_event_id == message.skp_event_id
    assert copy.status == MessageStatus.SENT


def test_outbox_page_shows_skp_messages(org, client, django_capture_on_commit_callbacks):
    skp = submit(org, django_capture_on_commit_callbacks)
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    text = client.get("/staf/pesan/").content.decode()
    assert f"SKP {skp.year}" in text
    assert "Siti Rahmawati" in text


def test_outbox_shows_unit_staff_only_their_own_skp_messages(
    org, client, django_capture_on_commit_callbacks
):
    from organization.models import StaffMembership

    submit(org, django_capture_on_commit_callbacks)
    colleague = factories.UserFactory()
    unit = org.head_position.unit
    StaffMembership.objects.create(user=colleague, unit=unit)
    StaffMembership.objects.create(user=org.head.user, unit=unit)
    client.force_login(colleague)
    assert "Siti Rahmawati" not in client.get("/staf/pesan/").content.decode()
    client.force_login(org.head.user)
    assert "Siti Rahmawati" in client.get("/staf/pesan/").content.decode()


def test_admin_lists_skp_messages(org, client, django_capture_on_commit_callbacks):
    submit(org, django_capture_on_commit_callbacks)
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    response = client.get("/admin/notifications/message/")
    assert response.status_code == 200
    message = Message.objects.get()
    assert client.get(f"/admin/notifications/message/{message.pk}/change/").status_code == 200
