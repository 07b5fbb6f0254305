"""One application error type and one DRF handler, so every API error has one JSON shape.

Services raise `ApplicationError` (or a subclass) when the user asked for something the
rules forbid; the API maps it here, pages show its message. Lower apps may import this
module: it is project machinery, not a room of the house.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """The request breaks a business rule. `status_code` says how the API answers."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, *, field_errors=None):
        self.message = message or self.default_message
        self.field_errors = field_errors or {}
        super().__init__(str(self.message))


class Conflict(ApplicationError):
    """The object is not in a state that allows this (already claimed, wrong status...)."""

    status_code = status.HTTP_409_CONFLICT
    default_message = _("The object is not in a state that allows this action.")


class Forbidden(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    default_message = _("You may not perform this action.")


class NotFound(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND
    default_message = _("Not found.")


class PayloadTooLarge(ApplicationError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_message = _("The upload is too large.")


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        body = dict(exc.field_errors) if exc.field_errors else {"detail": str(exc.message)}
        if exc.field_errors and exc.message is not exc.default_message:
            body.setdefault("detail", str(exc.message))
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        exc = _throttled(exc.wait)
    return exception_handler(exc, context)


def _throttled(wait: int) -> exceptions.Throttled:
    """DRF's 429, its wait said in the caller's language. DRF puts the number into its
    sentence before looking the sentence up, so the lookup always missed and an
    Indonesian caller read "Permintaan ini telah dibatasi. Expected available in 60
    seconds." The number goes in after the lookup here."""
    wait_text = ngettext(
        "Expected available in %(wait)d second.", "Expected available in %(wait)d seconds.", wait
    ) % {"wait": wait}
    throttled = exceptions.Throttled(detail=f"{exceptions.Throttled.default_detail} {wait_text}")
    throttled.wait = wait  # DRF's handler sends it as Retry-After
    return throttled


# --- Pages: the one way an ApplicationError (or a model ValidationError) is shown -------


def error_dict(exc: ApplicationError | DjangoValidationError) -> dict[str | None, list[str]]:
    """`{key: [message, ...]}` of a refused action: the field errors by key, or the message
    under None when there are none."""
    if isinstance(exc, DjangoValidationError):
        raw = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        raw = {(None if k == "__all__" else k): v for k, v in raw.items()}
    else:
        raw = exc.field_errors or {}
    errors: dict[str | None, list[str]] = {}
    for key, messages in raw.items():
        if isinstance(messages, dict):
            messages = [m for ms in messages.values() for m in ms]
        elif isinstance(messages, str) or not hasattr(messages, "__iter__"):
            messages = [messages]
        errors[key] = [str(m) for m in messages]
    if not errors:
        errors[None] = [str(getattr(exc, "message", exc))]
    return errors


def error_messages(exc: ApplicationError | DjangoValidationError) -> list[str]:
    """Every message of a refused action, flat (for a page's message list)."""
    return [message for messages in error_dict(exc).values() for message in messages]


def form_add_errors(form, exc: ApplicationError | DjangoValidationError, *, name_of=None):
    """Show a refused action on a Django form: each error next to the input its key names
    (`name_of(key)` maps a service's key to the form field name; default: the same),
    anything else at the top of the form."""
    for key, messages in error_dict(exc).items():
        name = name_of(key) if (name_of and key is not None) else key
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
