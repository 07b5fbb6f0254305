"""A request's answers with labels: one selector for the staff page, the applicant's
page (and the API), so a field removed from the catalogue later reads the same everywhere."""

import pytest

from tests import factories
from workflow.selectors import Answer, request_answers

pytestmark = pytest.mark.django_db


def test_answers_follow_the_form_and_keep_a_removed_field_by_its_code(client):
    service = factories.ServiceTypeFactory()
    factories.FormFieldFactory(service=service, code="tujuan", label="Tujuan", order=1)
    factories.FormFieldFactory(service=service, code="alasan", label="Alasan", order=2)
    request = factories.ServiceRequestFactory(
        service=service, data={"alasan": "Pindah", "tujuan": "Jambi", "lama": "x"}
    )
    assert request_answers(request) == [
        Answer("tujuan", "Tujuan", "Jambi"),
        Answer("alasan", "Alasan", "Pindah"),
        Answer("lama", "lama", "x"),
    ]
