"""Twilio webhooks and the staff outbox page. Thin: verify, parse, call a service."""

import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from config import ratelimit
from config.parsers import FORBIDDEN_CHARACTERS
from notifications import selectors, services

logger = logging.getLogger(__name__)


def twilio_signed(view):
    """403 unless X-Twilio-Signature is Twilio's signature of PUBLIC_BASE_URL + the path
    (with its query) and the POSTed parameters. Nothing is recorded for a refused call."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        signature = request.headers.get("X-Twilio-Signature", "")
        url = settings.PUBLIC_BASE_URL + request.get_full_path()
        params = {key: request.POST.get(key) for key in request.POST}
        token = settings.TWILIO_AUTH_TOKEN
        if not (signature and token and RequestValidator(token).validate(url, params, signature)):
            logger.warning("refused unsigned/forged Twilio webhook %s", request.path)
            return HttpResponseForbidden("invalid signature", content_type="text/plain")
        return view(request, *args, **kwargs)

    return wrapper


@csrf_exempt
@require_POST
@twilio_signed
def twilio_status(request):
    sid = request.POST.get("MessageSid") or request.POST.get("SmsSid") or ""
    status = request.POST.get("MessageStatus") or request.POST.get("SmsStatus") or ""
    if not sid or not status:
        return HttpResponse("missing MessageSid/MessageStatus", status=400)
    message_id = request.GET.get("m")
    services.message_status_apply(
        provider_sid=sid,
        provider_status=status,
        error_code=request.POST.get("ErrorCode", ""),
        error_message=request.POST.get("ErrorMessage", ""),
        message_id=int(message_id) if message_id and message_id.isdigit() else None,
    )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
@twilio_signed
def twilio_inbound(request):
    sender = request.POST.get("From", "")
    response = MessagingResponse()
    if _inbound_allowed(sender):
        # XML 1.0 cannot hold control characters: they would make the TwiML invalid.
        body = FORBIDDEN_CHARACTERS.sub("", request.POST.get("Body", ""))
        reply = services.inbound_message_receive(sender=sender, body=body)
        response.message(FORBIDDEN_CHARACTERS.sub("", reply))
    return HttpResponse(str(response), content_type="text/xml")


def _inbound_allowed(sender: str) -> bool:
    """A few commands a minute per sender (WHATSAPP_INBOUND_RATE_LIMIT); beyond that we
    stay silent (a reply costs money)."""
    return ratelimit.hit("whatsapp_inbound", sender) is None


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or user.is_staff or user.memberships.exists()):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_required
def outbox(request):
    messages = selectors.outbox_for_user(user=request.user)
    return render(
        request,
        "notifications/outbox.html",
        {"outbox": messages, "backend": settings.WHATSAPP_BACKEND},
    )
