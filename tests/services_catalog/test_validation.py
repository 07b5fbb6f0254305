"""A catalogue entry is validated as a whole: steps, codes, numbering, result step."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from services_catalog.models import FormField, RequiredDocument, Step
from services_catalog.services import service_type_validate


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def fields(*codes):
    return [FormField(code=c, label=c) for c in codes]


def documents(*codes):
    return [RequiredDocument(code=c, label=c) for c in codes]


def steps(*orders, result=()):
    return [Step(order=o, name=f"Tahap {o}", produces_result=o in result) for o in orders]


def messages(**parts):
    with pytest.raises(ValidationError) as exc:
        service_type_validate(**parts)
    return exc.value.messages


def test_a_complete_entry_passes():
    service_type_validate(fields=fields("a", "b"), documents=documents("ktp"), steps=steps(1, 2))


def test_no_steps_is_refused():
    assert messages(fields=[], documents=[], steps=[]) == ["A service needs at least one step."]


def test_duplicate_field_codes_are_refused():
    (message,) = messages(fields=fields("a", "b", "a"), documents=[], steps=steps(1))
    assert "repeated: a." in message


def test_duplicate_document_codes_are_refused():
    (message,) = messages(fields=[], documents=documents("ktp", "ktp"), steps=steps(1))
    assert "repeated: ktp." in message


def test_a_field_and_a_document_may_not_share_a_code():
    (message,) = messages(fields=fields("ktp"), documents=documents("ktp"), steps=steps(1))
    assert "ktp" in message


@pytest.mark.parametrize("orders", [(1, 3), (2, 3), (1, 1, 2), (0, 1)])
def test_gaps_or_repeats_in_the_step_order_are_refused(orders):
    assert messages(fields=[], documents=[], steps=steps(*orders)) == [
        "Steps must be numbered 1, 2, 3... without gaps or repeats."
    ]


def test_steps_may_come_in_any_order():
    service_type_validate(fields=[], documents=[], steps=steps(3, 1, 2))


def test_two_result_steps_are_refused():
    assert messages(fields=[], documents=[], steps=steps(1, 2, result=(1, 2))) == [
        "Only one step may produce the result document."
    ]


def test_every_problem_is_listed():
    assert len(messages(fields=fields("a", "a"), documents=documents("a"), steps=[])) == 3
