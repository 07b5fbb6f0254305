"""Registration numbers: `KJB-2026-00042-7`.

office code · year · sequence per office per year (no gaps, no duplicates) · one check
character. The check character works over GF(32) on the Crockford base-32 alphabet, in
the manner of the Damm algorithm: c <- 2*c + x for each character, so the result is
sum(2^(n-i) * x_i). A single mistyped character changes the sum by 2^k * (x - x') != 0,
and swapping two adjacent characters by 2^k * (2 - 1) * (x - y) != 0, so both are
always caught, letters and digits alike.
"""

import datetime
import re

from django.db import connection, transaction
from django.utils import timezone

from .models import RegistrationCounter

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Crockford's forgiving reading of look-alike characters.
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
_SEPARATORS = re.compile(r"[\s\-_./]+")
_POLY = 0b100101  # x^5 + x^2 + 1, primitive over GF(2)


def _times_two(c: int) -> int:
    c <<= 1
    return c ^ _POLY if c & 0b100000 else c


def _fold(text: str) -> int:
    c = 0
    for ch in text:
        c = _times_two(c) ^ _VALUE[ch]
    return c


def check_character(body: str) -> str:
    """The character that makes the whole number fold to zero."""
    return ALPHABET[_times_two(_fold(body))]


def format_number(*, office_code: str, year: int, sequence: int) -> str:
    seq = f"{sequence:05d}"
    body = f"{office_code}{year:04d}{seq}"
    return f"{office_code}-{year:04d}-{seq}-{check_character(body)}"


class InvalidNumber(ValueError):
    """Not a registration number: wrong characters or a check character that does not fit."""


def key_of(text: str) -> str:
    """Lookup key of a typed or stored number: upper case, no separators, look-alikes
    mended. No check-character test: a mistyped number is simply not found (the public
    entry points call `normalize` first, so a typo is named there)."""
    return _SEPARATORS.sub("", (text or "").upper()).translate(_LOOKALIKES)


def normalize(text: str) -> str:
    """`key_of` a typed number, checked: raises InvalidNumber when the characters or the
    check character are wrong."""
    key = key_of(text)
    if not 8 <= len(key) <= 24 or any(ch not in _VALUE for ch in key):
        raise InvalidNumber(text)
    if _fold(key) != 0:
        raise InvalidNumber(text)
    return key


def allocate_registration_number(*, office, on: datetime.date | None = None) -> str:
    """Next number for `office` in the year of `on`. Call inside the submit transaction:
    the counter row stays locked until commit, and a rollback gives the number back,
    so numbers have neither gaps nor duplicates under concurrent submissions."""
    assert transaction.get_connection().in_atomic_block, "allocate inside a transaction"
    year = (on or timezone.localdate()).year
    return format_number(office_code=office.code, year=year, sequence=_next_sequence(office, year))


def _next_sequence(office, year: int) -> int:
    """Create the counter or add one to it, in one statement (PostgreSQL, SQLite): the
    upsert holds the row's lock until commit, as `SELECT ... FOR UPDATE` did, in one
    round trip instead of three."""
    meta = RegistrationCounter._meta
    table = connection.ops.quote_name(meta.db_table)
    office_col, year_col, last_col = (
        connection.ops.quote_name(meta.get_field(name).column)
        for name in ("office", "year", "last")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({office_col}, {year_col}, {last_col}) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT ({office_col}, {year_col}) "
            f"DO UPDATE SET {last_col} = {table}.{last_col} + 1 RETURNING {last_col}",
            [office.pk, year],
        )
        return cursor.fetchone()[0]
