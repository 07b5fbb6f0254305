import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from organization.phones import normalize_phone
from workflow.deadlines import add_working_days, is_working_day
from workflow.validation import validate_nik


@pytest.mark.parametrize(
    "typed",
    ["0812-3456-7890", "081234567890", "6281234567890", "+62 812-3456-7890", "(0812) 3456 7890"],
)
def test_indonesian_phone_forms_are_stored_e164(typed):
    assert normalize_phone(typed) == "+6281234567890"


def test_international_numbers_are_accepted():
    assert normalize_phone("+60 12-345 6789") == "+60123456789"


@pytest.mark.parametrize("typed", ["", "12", "0812", "+1 555", "abc"])
def test_invalid_phones_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed)


@pytest.mark.parametrize("nik", ["3273011508900001", "3273015508900001", "1101010101000001"])
def test_plausible_niks(nik):
    assert validate_nik(nik) == nik


@pytest.mark.parametrize(
    "nik",
    [
        "327301150890000",  # 15 digits
        "32730115089000011",  # 17
        "0973011508900001",  # province 09
        "9573011508900001",  # province 95
        "3200011508900001",  # regency 00
        "3273013208900001",  # day 32
        "3273017208900001",  # woman, day 72
        "3273011513900001",  # month 13
        "3273011508900000",  # serial 0000
        "32730115089O0001",  # a letter
    ],
)
def test_implausible_niks(nik):
    with pytest.raises(ValidationError):
        validate_nik(nik)


def test_due_dates_skip_weekends_and_national_holidays():
    friday = datetime.date(2026, 11, 20)
    assert add_working_days(friday, 1) == datetime.date(2026, 11, 23)
    # 17 August (Independence Day) 2026 is a Monday
    assert add_working_days(datetime.date(2026, 8, 14), 1) == datetime.date(2026, 8, 18)
    # Christmas Friday 25 Dec 2026
    assert add_working_days(datetime.date(2026, 12, 24), 1) == datetime.date(2026, 12, 28)


@given(st.dates(datetime.date(2025, 1, 1), datetime.date(2027, 12, 31)), st.integers(1, 30))
def test_due_date_is_a_working_day_with_exactly_n_working_days(start, n):
    due = add_working_days(start, n)
    assert is_working_day(due)
    days = [start + datetime.timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(is_working_day(d) for d in days) == n


def test_status_labels_are_indonesian_by_default_and_english_on_request():
    from django.utils import translation

    from workflow.models import RequestStatus

    with translation.override("id"):
        assert [str(label) for _, label in RequestStatus.choices] == [
            "Diterima",
            "Diproses",
            "Perlu perbaikan",
            "Selesai",
            "Ditolak",
            "Dibatalkan",
        ]
    with translation.override("en"):
        assert str(RequestStatus.NEEDS_INFO.label) == "Needs correction"
