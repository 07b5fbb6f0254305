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


def test_the_api_shows_the_answers_of_that_one_selector(api_client):
    service = factories.ServiceTypeFactory()
    factories.FormFieldFactory(service=service, code="tujuan", label="Tujuan", order=1)
    factories.FormFieldFactory(service=service, code="alasan", label="Alasan", order=2)
    request = factories.ServiceRequestFactory(
        service=service, data={"alasan": "Pindah", "tujuan": "Jambi", "lama": "x"}
    )
    body = api_client.get(
        f"/api/v1/requests/{request.registration_number}/",
        headers={"X-Access-Token": request.access_token},
    ).json()
    assert body["data"] == [a._asdict() for a in request_answers(request)]
    assert body["data"][2] == {"code": "lama", "label": "lama", "value": "x"}
