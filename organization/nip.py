"""NIP (Nomor Induk Pegawai): the 18-digit civil-servant number.

Layout: YYYYMMDD birth date, YYYYMM appointment (TMT CPNS), one gender digit
(1 male, 2 female), three sequence digits. E.g. 198503212010011002.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NIP_RE = re.compile(r"^\d{18}$")


@dataclass(frozen=True)
class NipParts:
    birth_date: datetime.date
    appointed: tuple[int, int]  # (year, month)
    gender: str  # "male" | "female"
    sequence: int


def parse_nip(value: str) -> NipParts:
    """Split a NIP into its parts; raise ValidationError naming what is wrong."""
    nip = (value or "").replace(" ", "")
    if not NIP_RE.match(nip):
        raise ValidationError(_("A NIP is exactly 18 digits."), code="nip_format")
    try:
        birth = datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("The first 8 digits of a NIP must be a valid birth date (YYYYMMDD)."),
            code="nip_birth_date",
        ) from None
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Digits 9-14 of a NIP must be the appointment year and month (YYYYMM)."),
            code="nip_appointment",
        )
    if year < birth.year + 15 or year > datetime.date.today().year + 1:
        raise ValidationError(
            _("The appointment year in the NIP does not fit the birth date."),
            code="nip_appointment",
        )
    if nip[14] not in "12":
        raise ValidationError(
            _("Digit 15 of a NIP is the gender: 1 (male) or 2 (female)."), code="nip_gender"
        )
    if int(nip[15:18]) == 0:
        raise ValidationError(
            _("The last 3 digits of a NIP are a sequence starting at 001."), code="nip_sequence"
        )
    return NipParts(
        birth_date=birth,
        appointed=(year, month),
        gender="male" if nip[14] == "1" else "female",
        sequence=int(nip[15:18]),
    )


def validate_nip(value: str) -> None:
    parse_nip(value)
