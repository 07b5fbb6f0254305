"""Channels: the registry, console, and Twilio against the stand-in."""

import datetime
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from notifications.channels import ConsoleChannel, TransportError, get_channel
from notifications.channels.twilio import RoutedHttpClient, TwilioChannel
from notifications.models import Contact
from tests import factories


def test_registry_follows_whatsapp_backend(settings, twilio_settings):
    settings.WHATSAPP_BACKEND = "console"
    assert isinstance(get_channel(), ConsoleChannel)
    settings.WHATSAPP_BACKEND = "twilio"
    assert isinstance(get_channel(), TwilioChannel)
    settings.WHATSAPP_BACKEND = "pigeon"
    with pytest.raises(ImproperlyConfigured):
        get_channel()


def test_console_keeps_the_message_and_logs_it(db, caplog):
    message = factories.MessageFactory()
    with caplog.at_level("INFO", logger="notifications.console"):
        result = ConsoleChannel().send(message)
    assert result.provider_sid == f"console-{message.pk}"
    assert message.body in caplog.text


def test_routed_client_sends_twilio_calls_to_the_configured_base():
    client = RoutedHttpClient("http://127.0.0.1:1", timeout=1)
    with pytest.raises(Exception) as info:
        client.request("GET", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json")
    assert "127.0.0.1" in str(info.value)


def test_wrong_credentials_are_a_permanent_error(twilio_settings, db):
    twilio_settings.TWILIO_AUTH_TOKEN = "wrong"
    with pytest.raises(TransportError) as info:
        TwilioChannel().send(factories.MessageFactory())
    assert info.value.permanent
    assert info.value.code == "20003"


def test_missing_credentials_are_a_temporary_configuration_error(twilio_settings):
    twilio_settings.TWILIO_ACCOUNT_SID = ""
    with pytest.raises(TransportError) as info:
        TwilioChannel()
    assert not info.value.permanent


def test_whatsapp_prefix_is_added_to_the_sender(twilio_settings, standin, db):
    twilio_settings.TWILIO_WHATSAPP_FROM = "+14155238886"
    TwilioChannel().send(factories.MessageFactory())
    assert standin.messages[0]["From"] == "whatsapp:+14155238886"


def test_outside_the_window_an_approved_template_is_used(twilio_settings, standin, db):
    message = factories.MessageFactory(
        content_sid="HX123", content_variables={"1": "KJB-2026-00001-X", "2": "Layanan"}
    )
    TwilioChannel().send(message)
    sent = standin.messages[0]
    assert sent["ContentSid"] == "HX123"
    assert json.loads(sent["ContentVariables"])["1"] == "KJB-2026-00001-X"
    assert "Body" not in sent


def test_inside_the_window_free_form_text_is_used(twilio_settings, standin, db):
    Contact.objects.create(phone="+6281234567890", last_inbound_at=timezone.now())
    message = factories.MessageFactory(content_sid="HX123")
    TwilioChannel().send(message)
    assert standin.messages[0]["Body"] == message.body
    assert "ContentSid" not in standin.messages[0]


def test_a_contact_from_yesterday_is_outside_the_window(twilio_settings, standin, db):
    Contact.objects.create(
        phone="+6281234567890", last_inbound_at=timezone.now() - datetime.timedelta(hours=25)
    )
    TwilioChannel().send(factories.MessageFactory(content_sid="HX123"))
    assert standin.messages[0]["ContentSid"] == "HX123"


def test_without_a_template_free_form_is_sent_anyway(twilio_settings, standin, db):
    message = factories.MessageFactory()
    TwilioChannel().send(message)
    assert standin.messages[0]["Body"] == message.body


def test_content_sid_from_settings_is_used_for_new_messages(settings, service_request):
    from notifications.models import Message
    from tests.notifications.conftest import announce

    settings.TWILIO_CONTENT_SIDS = {"submitted": "HXsubmitted"}
    announce(service_request, "submitted")
    assert Message.objects.get().content_sid == "HXsubmitted"


def test_find_accepted_matches_by_text(twilio_settings, standin, db):
    message = factories.MessageFactory(claimed_at=timezone.now())
    other = factories.MessageFactory(body="lain", recipient="+6281234567890")
    channel = TwilioChannel()
    assert channel.find_accepted(message) is None
    channel.send(other)
    assert channel.find_accepted(message) is None
    channel.send(message)
    assert channel.find_accepted(message) == standin.messages[-1]["sid"]


def test_the_environments_proxy_is_read_once_when_the_channel_is_made(
    twilio_settings, standin, db, monkeypatch
):
    """requests no longer reads the environment on every send: the proxy it names when
    the channel is made is the one used (here a closed port: nothing reaches Twilio)."""
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    channel = TwilioChannel()
    monkeypatch.delenv("HTTP_PROXY")
    with pytest.raises(TransportError) as info:
        channel.send(factories.MessageFactory())
    assert info.value.code == "connection"
    assert standin.requests_seen == []
    # Made without one, it goes straight to Twilio whatever the environment says later.
    channel = TwilioChannel()
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    channel.send(factories.MessageFactory())
    assert len(standin.messages) == 1
