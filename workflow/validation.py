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

from config.parsers import FORBIDDEN_CHARACTERS as FORBIDDEN_NAME_CHARACTERS
from config.parsers import has_forbidden_characters
from config.uploads import sha256_of, sniff_content_type
from organization.phones import normalize_phone
from services_catalog.models import FormField, RequiredDocument, ServiceType

Errors = dict[str, list[str]]

MAX_TEXT = 500
MAX_TEXTAREA = 5000
MAX_NAME = 200
MAX_EMAIL = 254  # RFC 5321's limit on a forward path
MAX_SHORT_INPUT = 40  # phone, NIK, date and number answers are read only this far
# Catalogue numbers count or measure things (people, pages, m², a year): never negative,
# and bounded so converting them cannot take seconds (`int(Decimal("1e300000"))` does).
MAX_NUMBER = Decimal(10) ** 12
MAX_DECIMALS = 6
_NIK = re.compile(r"^\d{16}$")
# Decompression bombs: a few kilobytes that unpack to gigabytes. A scanned page is far
# below these; a photo of a KTP is ~12 megapixels.
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_SIDE = 20_000
MAX_PDF_PAGES = 300


def clean_text(value, *, limit: int, allow_numbers: bool = False) -> str:
    """Text people typed: a string (numbers too where `allow_numbers`), at most `limit`
    characters, without NUL or other control characters (PostgreSQL refuses NUL; XML
    refuses the rest). Raises ValidationError."""
    if isinstance(value, bool) or not isinstance(
        value, str | int | float if allow_numbers else str
    ):
        raise ValidationError(_("Enter text."))
    text = str(value).strip()
    if len(text) > limit:
        raise ValidationError(_("At most %(n)d characters.") % {"n": limit})
    if has_forbidden_characters(text):
        raise ValidationError(_("The text contains characters that are not allowed."))
    return text


def _short_input(value) -> str:
    """A phone, NIK, date or number answer as text, refused early when absurdly long."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError(_("Enter text."))
    text = str(value).strip()
    if len(text) > MAX_SHORT_INPUT:
        raise ValidationError(_("At most %(n)d characters.") % {"n": MAX_SHORT_INPUT})
    return text


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
    nik = re.sub(r"[\s.\-]", "", _short_input(value or ""))
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
    name = applicant.get("name")
    if _empty(name):
        errors["applicant.name"] = [_("This field is required.")]
        name = ""
    else:
        try:
            name = clean_text(name, limit=MAX_NAME)
        except ValidationError as e:
            errors["applicant.name"] = list(e.messages)
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
    email = applicant.get("email")
    cleaned["email"] = ""
    if not _empty(email):
        try:
            cleaned["email"] = clean_email(email)
        except ValidationError as e:
            errors["applicant.email"] = list(e.messages)
    unknown = set(applicant) - {"name", "phone", "nik", "email"}
    if unknown:
        errors["applicant"] = [_("Unknown applicant fields: %s.") % ", ".join(sorted(unknown))]
    return cleaned, errors


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_email(value) -> str:
    text = clean_text(value, limit=MAX_EMAIL)
    try:
        validate_email(text)
    except ValidationError:
        raise ValidationError(_("Enter a valid email address.")) from None
    return text


def clean_number(value):
    """An int, or a float for a fraction; 0 up to MAX_NUMBER, at most MAX_DECIMALS places.
    Bounds are checked on the Decimal before any conversion."""
    text = _short_input(value).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Enter a number.")) from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number."))
    if number < 0:
        raise ValidationError(_("Enter a number of 0 or more."))
    if number >= MAX_NUMBER:
        raise ValidationError(_("The number is too large."))
    if number.normalize().as_tuple().exponent < -MAX_DECIMALS:
        raise ValidationError(_("At most %(n)d decimal places.") % {"n": MAX_DECIMALS})
    return int(number) if number == number.to_integral_value() else float(number)


def clean_value(field: FormField, value):
    """The cleaned value of one answer (assumed non-empty); raises ValidationError."""
    kind = field.type
    if kind in (FormField.Type.TEXT, FormField.Type.TEXTAREA):
        limit = MAX_TEXT if kind == FormField.Type.TEXT else MAX_TEXTAREA
        return clean_text(value, limit=limit, allow_numbers=True)
    if kind == FormField.Type.NUMBER:
        number = clean_number(value)
        if field.max_value is not None and number > field.max_value:
            raise ValidationError(_("At most %(max)s.") % {"max": field.max_value})
        return number
    if kind == FormField.Type.DATE:
        try:
            return datetime.date.fromisoformat(_short_input(value)).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == FormField.Type.CHOICE:
        text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
        if text not in field.choices:
            raise ValidationError(
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(field.choices)}
            )
        return text
    if kind == FormField.Type.EMAIL:
        return clean_email(value)
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


def bomb_error(upload, content_type: str) -> str | None:
    """Why an upload is refused as a decompression bomb, or None. Reads headers only:
    image dimensions (Pillow decodes nothing to answer) and the PDF's page count."""
    upload.seek(0)
    try:
        if content_type in ("image/png", "image/jpeg"):
            return _image_error(upload)
        if content_type == "application/pdf":
            return _pdf_error(upload)
        return None
    finally:
        upload.seek(0)


def _image_error(upload) -> str | None:
    from PIL import Image

    try:
        with Image.open(upload) as image:
            width, height = image.size
    except (Image.DecompressionBombError, OSError, ValueError, SyntaxError):
        return _("The image cannot be read; upload a PNG or JPEG photo or scan.")
    if max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        return _("The image is too large (%(w)d×%(h)d pixels); upload a smaller photo or scan.") % {
            "w": width,
            "h": height,
        }
    return None


def _pdf_error(upload) -> str | None:
    """Only a PDF pypdf can read is counted: nothing in Alur renders the others."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        pages = len(PdfReader(upload, strict=False).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None
    if pages > MAX_PDF_PAGES:
        return _("The PDF has %(n)d pages; at most %(max)d are accepted.") % {
            "n": pages,
            "max": MAX_PDF_PAGES,
        }
    return None


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
        bomb = bomb_error(upload, content_type)
        if bomb:
            errors[spec.code] = [bomb]
            continue
        cleaned.append(
            CleanDocument(
                spec=spec,
                file=upload,
                content_type=content_type,
                size=upload.size,
                sha256=sha256_of(upload),
                original_name=FORBIDDEN_NAME_CHARACTERS.sub(
                    "", getattr(upload, "name", "") or spec.code
                )[-255:]
                or spec.code,
            )
        )
    return cleaned, errors, too_large


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def _pretty_type(content_type: str) -> str:
    return {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}.get(
        content_type, content_type
    )
