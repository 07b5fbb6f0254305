"""Validation of a submission against its catalogue entry.

Pure functions, shared by the services (API, pages, counter) so every channel shows the
same errors. Each `clean_*` returns the cleaned values and a dict of error lists keyed by
field code, document code or `applicant.<name>`; nothing is written here.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from config.uploads import sha256_of, sniff_content_type
from organization.phones import normalize_phone
from services_catalog.models import FormField, RequiredDocument, ServiceType

Errors = dict[str, list[str]]

MAX_TEXT = 500
MAX_TEXTAREA = 5000
MAX_NAME = 200
_NIK = re.compile(r"^\d{16}$")


def nik_birth_date(nik: str) -> datetime.date | None:
    """The birth date a NIK encodes (DDMMYY, women add 40 to the day), or None."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    today = datetime.date.today()
    for century in (2000, 1900):
        try:
            born = datetime.date(century + year, month, day)
        except ValueError:
            continue
        if born <= today:
            return born
    return None


def validate_nik(value) -> str:
    """A plausible NIK: 16 digits, province code 11-94, region codes not 00, a real birth
    date (DDMMYY, women +40 on the day) and a serial other than 0000."""
    nik = re.sub(r"[\s.\-]", "", str(value or ""))
    if not _NIK.match(nik):
        raise ValidationError(_("A NIK is 16 digits."))
    province = int(nik[0:2])
    if not 11 <= province <= 94 or nik[2:4] == "00" or nik[4:6] == "00" or nik[12:] == "0000":
        raise ValidationError(_("This NIK does not have a valid region code or serial."))
    if nik_birth_date(nik) is None:
        raise ValidationError(_("This NIK does not contain a valid birth date."))
    return nik


def clean_applicant(applicant) -> tuple[dict, Errors]:
    errors: Errors = {}
    if not isinstance(applicant, dict):
        return {}, {"applicant": [_("Give the applicant's name and phone number.")]}
    cleaned = {}
    name = str(applicant.get("name") or "").strip()
    if not name:
        errors["applicant.name"] = [_("This field is required.")]
    elif len(name) > MAX_NAME:
        errors["applicant.name"] = [_("At most %(n)d characters.") % {"n": MAX_NAME}]
    cleaned["name"] = name
    try:
        cleaned["phone"] = normalize_phone(applicant.get("phone"))
    except ValidationError as e:
        errors["applicant.phone"] = list(e.messages)
    nik = applicant.get("nik")
    cleaned["nik"] = ""
    if nik not in (None, ""):
        try:
            cleaned["nik"] = validate_nik(nik)
        except ValidationError as e:
            errors["applicant.nik"] = list(e.messages)
    email = str(applicant.get("email") or "").strip()
    cleaned["email"] = ""
    if email:
        try:
            validate_email(email)
            cleaned["email"] = email
        except ValidationError:
            errors["applicant.email"] = [_("Enter a valid email address.")]
    unknown = set(applicant) - {"name", "phone", "nik", "email"}
    if unknown:
        errors["applicant"] = [_("Unknown applicant fields: %s.") % ", ".join(sorted(unknown))]
    return cleaned, errors


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_value(field: FormField, value):
    """The cleaned value of one answer (assumed non-empty); raises ValidationError."""
    kind = field.type
    if kind in (FormField.Type.TEXT, FormField.Type.TEXTAREA):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ValidationError(_("Enter text."))
        text = str(value).strip()
        limit = MAX_TEXT if kind == FormField.Type.TEXT else MAX_TEXTAREA
        if len(text) > limit:
            raise ValidationError(_("At most %(n)d characters.") % {"n": limit})
        return text
    if kind == FormField.Type.NUMBER:
        if isinstance(value, bool):
            raise ValidationError(_("Enter a number."))
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValidationError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValidationError(_("Enter a number."))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == FormField.Type.DATE:
        try:
            return datetime.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == FormField.Type.CHOICE:
        if str(value) not in field.choices:
            raise ValidationError(
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(field.choices)}
            )
        return str(value)
    if kind == FormField.Type.EMAIL:
        text = str(value).strip()
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(_("Enter a valid email address.")) from None
        return text
    if kind == FormField.Type.PHONE:
        return normalize_phone(value)
    raise ValidationError(_("Unsupported field type."))


def clean_data(service: ServiceType, data, *, fields=None) -> tuple[dict, Errors]:
    """Check answers against the service's form: types, required, choices; unknown codes
    are refused. Returns only non-empty cleaned answers."""
    if not isinstance(data, dict):
        return {}, {"data": [_("The form data must be an object of field codes.")]}
    fields = list(service.fields.all()) if fields is None else fields
    errors: Errors = {}
    cleaned = {}
    by_code = {f.code: f for f in fields}
    for code in sorted(set(data) - set(by_code)):
        errors[code] = [_("Unknown field.")]
    for field in fields:
        value = data.get(field.code)
        if _empty(value):
            if field.required:
                errors[field.code] = [_("This field is required.")]
            continue
        try:
            cleaned[field.code] = clean_value(field, value)
        except ValidationError as e:
            errors[field.code] = list(e.messages)
    return cleaned, errors


@dataclass
class CleanDocument:
    spec: RequiredDocument
    file: object  # django UploadedFile
    content_type: str
    size: int
    sha256: str
    original_name: str


def clean_documents(
    service: ServiceType, documents, *, present=frozenset(), specs=None
) -> tuple[list[CleanDocument], Errors, Errors]:
    """Check uploads against the service's documents.

    `present`: codes already on file (a resubmission keeps earlier uploads).
    Returns (cleaned, errors, too_large): `too_large` errors answer 413.
    """
    specs = list(service.documents.all()) if specs is None else specs
    by_code = {d.code: d for d in specs}
    documents = documents or {}
    errors: Errors = {}
    too_large: Errors = {}
    cleaned = []
    for code in sorted(set(documents) - set(by_code)):
        errors[code] = [_("Unknown document.")]
    for spec in specs:
        upload = documents.get(spec.code)
        if upload is None:
            if spec.required and spec.code not in present:
                errors[spec.code] = [_("This document is required.")]
            continue
        if upload.size > spec.max_bytes:
            too_large[spec.code] = [
                _("The file is larger than %(mb)s MB.") % {"mb": _megabytes(spec.max_bytes)}
            ]
            continue
        if upload.size == 0:
            errors[spec.code] = [_("The file is empty.")]
            continue
        content_type = sniff_content_type(upload)
        if content_type not in spec.content_types:
            errors[spec.code] = [
                _("This file type is not accepted; upload one of: %(types)s.")
                % {"types": ", ".join(_pretty_type(t) for t in spec.content_types)}
            ]
            continue
        cleaned.append(
            CleanDocument(
                spec=spec,
                file=upload,
                content_type=content_type,
                size=upload.size,
                sha256=sha256_of(upload),
                original_name=(getattr(upload, "name", "") or spec.code)[-255:],
            )
        )
    return cleaned, errors, too_large


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _pretty_type(content_type: str) -> str:
    return {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}.get(
        content_type, content_type
    )
