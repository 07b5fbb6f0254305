"""Phone numbers: the one rule, for applicants, employees and WhatsApp senders alike.

Everything is stored and sent as E.164 (`+6281234567890`). Indonesian local forms are
read with region ID: `0812…`, `62812…`, `+62 812-…`, with spaces, dashes, dots or
brackets; any valid international `+…` number is accepted too. A number must be *valid*
for its country (phonenumbers' metadata), not merely of a possible length.
The lowest room owns it (Employee.phone); the workflow and notifications import it.
"""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_PHONE = _("Enter a valid phone number, e.g. 0812 3456 7890.")
_SEPARATORS = re.compile(r"[\s\-().]")
_WHATSAPP_PREFIX = "whatsapp:"  # Twilio's address form, e.g. an inbound message's From


def phone_e164(value) -> str | None:
    """The E.164 form of `value`, or None if it is not a valid phone number."""
    text = _SEPARATORS.sub("", str(value or "").strip())
    text = text.removeprefix(_WHATSAPP_PREFIX)
    if text.startswith("62"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(value) -> str:
    """E.164 of a required phone number; ValidationError if missing or not valid."""
    if not str(value or "").strip():
        raise ValidationError(_("This field is required."), code="required")
    e164 = phone_e164(value)
    if e164 is None:
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return e164


def validate_e164(value) -> None:
    """Model-field validator: a stored number is already E.164 (see `phone_e164`)."""
    if value and phone_e164(value) != value:
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
