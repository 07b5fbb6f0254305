"""Offices edit message texts in the admin; sent messages are read-only there."""

import pytest

from notifications.models import Message, MessageStatus, MessageTemplate
from tests import factories


@pytest.fixture
def admin_client(client, db):
    client.force_login(factories.UserFactory(is_superuser=True, is_staff=True))
    return client


def test_template_pages_load(admin_client):
    factories.MessageTemplateFactory()
    assert admin_client.get("/admin/notifications/messagetemplate/").status_code == 200
    assert admin_client.get("/admin/notifications/messagetemplate/add/").status_code == 200


def test_a_service_override_is_saved(admin_client, office_service):
    response = admin_client.post(
        "/admin/notifications/messagetemplate/add/",
        {
            "service": office_service.pk,
            "kind": "submitted",
            "language": "id",
            "body": "Nomor Anda {{ number }}.",
            "content_sid": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert MessageTemplate.objects.get().service == office_service


def test_a_text_without_the_number_is_refused(admin_client):
    response = admin_client.post(
        "/admin/notifications/messagetemplate/add/",
        {"kind": "submitted", "language": "id", "body": "Diterima.", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "{{ number }}" in response.content.decode()
    assert not MessageTemplate.objects.exists()


def test_messages_are_read_only_and_failed_ones_can_be_sent_again(admin_client, settings):
    message = factories.MessageFactory(status=MessageStatus.FAILED, error_code="21211")
    assert admin_client.get("/admin/notifications/message/").status_code == 200
    assert admin_client.get(f"/admin/notifications/message/{message.pk}/change/").status_code == 200
    assert admin_client.get("/admin/notifications/message/add/").status_code == 403
    response = admin_client.post(
        "/admin/notifications/message/",
        {"action": "send_again", "_selected_action": [message.pk]},
    )
    assert response.status_code == 302
    copy = Message.objects.exclude(pk=message.pk).get()
    assert copy.status == MessageStatus.QUEUED
    assert copy.body == message.body
    assert copy.idempotency_key == f"{message.idempotency_key}:resend:1"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED  # history stays
