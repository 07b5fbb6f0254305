"""NIP: 18 digits carrying birth date, appointment month, gender and a sequence."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from organization.models import Employee
from organization.nip import parse_nip, validate_nip
from tests import factories


def test_a_valid_nip_gives_its_parts():
    parts = parse_nip("198503212010011002")
    assert parts.birth_date == datetime.date(1985, 3, 21)
    assert parts.appointed == (2010, 1)
    assert parts.gender == "male"
    assert parts.sequence == 2


def test_gender_digit_2_is_female():
    assert parse_nip("199004262015032006").gender == "female"


@pytest.mark.parametrize(
    ("nip", "code"),
    [
        ("19850321201001100", "nip_format"),  # 17 digits
        ("1985032120100110021", "nip_format"),  # 19 digits
        ("", "nip_format"),
        ("19850321201001100A", "nip_format"),  # a letter
        ("1985-03-21-2010011", "nip_format"),
        ("198502302010011002", "nip_birth_date"),  # 30 February
        ("198513012010011002", "nip_birth_date"),  # birth month 13
        ("198503212010131002", "nip_appointment"),  # appointment month 13
        ("198503212010001002", "nip_appointment"),  # appointment month 00
        ("198503211995011002", "nip_appointment"),  # appointed at 10
        ("198503212999011002", "nip_appointment"),  # appointed in the far future
        ("198503212010013002", "nip_gender"),  # gender digit 3
        ("198503212010010002", "nip_gender"),  # gender digit 0
        ("198503212010011000", "nip_sequence"),  # sequence 000
    ],
)
def test_bad_nips_are_refused_with_the_reason(nip, code):
    with pytest.raises(ValidationError) as exc:
        validate_nip(nip)
    assert exc.value.code == code


def test_appointment_at_exactly_15_is_accepted():
    assert parse_nip("198503212000011002").appointed == (2000, 1)


@given(
    birth=st.dates(min_value=datetime.date(1955, 1, 1), max_value=datetime.date(2005, 12, 31)),
    years_after=st.integers(min_value=18, max_value=35),
    month=st.integers(min_value=1, max_value=12),
    gender=st.sampled_from("12"),
    sequence=st.integers(min_value=1, max_value=999),
)
def test_every_well_formed_nip_parses_back(birth, years_after, month, gender, sequence):
    year = min(birth.year + years_after, datetime.date.today().year)  # always >= birth + 15
    nip = f"{birth:%Y%m%d}{year}{month:02d}{gender}{sequence:03d}"
    parts = parse_nip(nip)
    assert parts.birth_date == birth
    assert parts.appointed == (year, month)
    assert parts.gender == ("male" if gender == "1" else "female")
    assert parts.sequence == sequence


@pytest.mark.django_db
def test_an_employee_with_a_bad_nip_is_refused():
    employee = Employee(nip="198503212010013002", name="Pegawai")
    with pytest.raises(ValidationError) as exc:
        employee.full_clean()
    assert "nip" in exc.value.message_dict


@pytest.mark.django_db
def test_employee_birth_date_and_gender_come_from_the_nip():
    employee = factories.EmployeeFactory(nip="199004262015032006")
    assert employee.birth_date == datetime.date(1990, 4, 26)
    assert employee.gender == "female"
