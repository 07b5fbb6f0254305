"""WhatsApp through Twilio's official client, routed to `TWILIO_API_BASE_URL`."""

import json
import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.utils import timezone
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from config.links import absolute_url

from .base import Channel, SendResult, TransportError

logger = logging.getLogger(__name__)

TWILIO_API = "https://api.twilio.com"


class RoutedHttpClient(TwilioHttpClient):
    """The stock client, with https://api.twilio.com rewritten to TWILIO_API_BASE_URL
    (a local stand-in in tests and demos)."""

    def __init__(self, base_url: str, timeout: float):
        quiet = logging.getLogger("notifications.twilio.http")
        quiet.setLevel(logging.WARNING)  # the stock client logs every request at INFO
        super().__init__(timeout=timeout, logger=quiet)
        self.base_url = base_url.rstrip("/")
        # What requests reads from the environment on every send (the proxy for this
        # host, the CA bundle), read once for the process (profiled, #11: ~5 % of a
        # send's CPU); a worker restarts when its environment changes anyway.
        environ = self.session.merge_environment_settings(self.base_url, {}, None, None, None)
        self.session.proxies = environ["proxies"]
        self.session.verify = environ["verify"]
        self.session.trust_env = False

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


def status_callback_url(message) -> str:
    # The message id rides along so a callback that overtakes our own record of the
    # MessageSid (or arrives after a worker died mid-send) still finds its row.
    return absolute_url(f"/webhooks/twilio/status/?m={message.pk}")


def in_session_window(phone: str) -> bool:
    """WhatsApp allows free-form text only within 24 hours of the person's last message."""
    from notifications.models import Contact

    since = timezone.now() - timedelta(hours=24)
    return Contact.objects.filter(phone=phone, last_inbound_at__gte=since).exists()


class TwilioChannel(Channel):
    name = "twilio"

    @classmethod
    def configuration(cls) -> tuple:
        return (
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            settings.TWILIO_WHATSAPP_FROM,
            settings.TWILIO_API_BASE_URL,
            getattr(settings, "TWILIO_HTTP_TIMEOUT", 10),
        )

    def __init__(self):
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise TransportError("TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN are not set")
        if not settings.TWILIO_WHATSAPP_FROM:
            raise TransportError("TWILIO_WHATSAPP_FROM is not set")
        self.sender = settings.TWILIO_WHATSAPP_FROM
        if not self.sender.startswith("whatsapp:"):
            self.sender = f"whatsapp:{self.sender}"
        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=RoutedHttpClient(
                settings.TWILIO_API_BASE_URL, getattr(settings, "TWILIO_HTTP_TIMEOUT", 10)
            ),
        )

    def send(self, message) -> SendResult:
        kwargs = {
            "to": f"whatsapp:{message.recipient}",
            "from_": self.sender,
            "status_callback": status_callback_url(message),
        }
        if message.content_sid and not in_session_window(message.recipient):
            kwargs["content_sid"] = message.content_sid
            kwargs["content_variables"] = json.dumps(message.content_variables)
        else:
            # Inside the window, or no approved template configured: free-form text. Outside
            # the window Twilio accepts it and later fails it with 63016 (README).
            kwargs["body"] = message.body
        try:
            created = self.client.messages.create(**kwargs)
        except TwilioRestException as exc:
            raise _rest_error(exc) from exc
        except requests.ConnectionError as exc:
            # Includes ConnectTimeout: nothing reached Twilio.
            raise TransportError(f"connection failed: {exc}", code="connection") from exc
        except requests.Timeout as exc:
            # The request went out but no answer came back: Twilio may have accepted it.
            raise TransportError(f"no response: {exc}", code="timeout", ambiguous=True) from exc
        except (requests.RequestException, TwilioException) as exc:
            raise TransportError(str(exc), code="error") from exc
        return SendResult(provider_sid=created.sid)

    def find_accepted(self, message) -> str | None:
        since = (message.claimed_at or message.created_at) - timedelta(minutes=5)
        try:
            found = self.client.messages.list(
                to=f"whatsapp:{message.recipient}",
                from_=self.sender,
                date_sent_after=since,
                limit=50,
            )
        except TwilioRestException as exc:
            raise _rest_error(exc) from exc
        except (requests.RequestException, TwilioException) as exc:
            raise TransportError(str(exc), code="lookup") from exc
        from notifications.models import Message

        for item in found:
            if message.content_sid:
                # Twilio fills in the approved template's text; ours is not it.
                matches = (
                    (message.request_id or message.skp_event_id)
                    and message.recipient
                    and _number_in(item, message)
                )
            else:
                matches = item.body == message.body
            if matches and not Message.objects.filter(provider_sid=item.sid).exists():
                return item.sid
        return None


def _number_in(item, message) -> bool:
    number = message.content_variables.get("1", "")
    return bool(number) and number in (item.body or "")


def _rest_error(exc: TwilioRestException) -> TransportError:
    code = str(exc.code or exc.status)
    text = (exc.msg or str(exc))[:400]
    if exc.status == 429:
        return TransportError(text, code=code or "429")
    if exc.status >= 500:
        return TransportError(text, code=code)
    # Any other 4xx: our request is wrong for this recipient; retrying cannot help.
    return TransportError(text, code=code, permanent=True)
