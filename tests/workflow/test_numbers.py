import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflow.numbers import ALPHABET, InvalidNumber, format_number, key_of, normalize

NUMBER = format_number(office_code="KJB", year=2026, sequence=42)


def test_format_is_office_year_sequence_check():
    assert NUMBER.startswith("KJB-2026-00042-")
    assert normalize(NUMBER) == key_of(NUMBER)


@pytest.mark.parametrize(
    "typed", [NUMBER.lower(), NUMBER.replace("-", " "), NUMBER.replace("-", "")]
)
def test_reading_ignores_case_spaces_and_hyphens(typed):
    assert normalize(typed) == key_of(NUMBER)


def test_every_single_substitution_is_caught():
    key = key_of(NUMBER)
    for i, ch in itertools.product(range(len(key)), ALPHABET):
        if key[i] == ch:
            continue
        with pytest.raises(InvalidNumber):
            normalize(key[:i] + ch + key[i + 1 :])


def test_every_adjacent_swap_is_caught():
    key = key_of(NUMBER)
    for i in range(len(key) - 1):
        if key[i] == key[i + 1]:
            continue
        with pytest.raises(InvalidNumber):
            normalize(key[:i] + key[i + 1] + key[i] + key[i + 2 :])


@given(
    office=st.text(alphabet="ABCDEFGHJKMNPQRSTVWXYZ", min_size=2, max_size=6),
    year=st.integers(2000, 2099),
    sequence=st.integers(1, 9_999_999),
    position=st.integers(0, 100),
    replacement=st.sampled_from(ALPHABET),
)
def test_property_single_errors_never_pass(office, year, sequence, position, replacement):
    key = key_of(format_number(office_code=office, year=year, sequence=sequence))
    assert normalize(key) == key
    i = position % len(key)
    if key[i] != replacement:
        with pytest.raises(InvalidNumber):
            normalize(key[:i] + replacement + key[i + 1 :])


@pytest.mark.parametrize("garbage", ["", "abc", "KJB-2026-00042-!", "x" * 40])
def test_garbage_is_invalid(garbage):
    with pytest.raises(InvalidNumber):
        normalize(garbage)
