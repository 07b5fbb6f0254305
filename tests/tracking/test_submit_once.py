"""One click, one request: `tracking.services.application_submit_once`, the rule's one home
(the portal page calls it; test_portal_more.py proves two simultaneous clicks)."""

import pytest

from config.exceptions import ApplicationError
from tracking.models import FormSubmission
from tracking.services import application_submit_once
from workflow.models import ServiceRequest

from .conftest import APPLICANT
from .test_pages import pdf

pytestmark = pytest.mark.django_db


def submission(service, **applicant):
    return {
        "service": service,
        "applicant": {**APPLICANT, **applicant},
        "data": {"nama_ppiu": "Biro Wisata Rahasia Barokah", "jenis_kelamin": "Perempuan"},
        "documents": {"ktp": pdf()},
    }


def test_a_repeated_token_returns_the_first_request(portal_service):
    first = application_submit_once(form_token="token-a", **submission(portal_service))
    again = application_submit_once(form_token="token-a", **submission(portal_service))
    other = application_submit_once(form_token="token-b", **submission(portal_service))
    assert again.pk == first.pk and other.pk != first.pk
    assert ServiceRequest.objects.count() == 2
    assert FormSubmission.objects.get(token="token-a").request_id == first.pk


def test_a_refused_attempt_rolls_its_token_back(portal_service):
    with pytest.raises(ApplicationError):
        application_submit_once(form_token="token-c", **submission(portal_service, phone="1"))
    assert not FormSubmission.objects.filter(token="token-c").exists()
    request = application_submit_once(form_token="token-c", **submission(portal_service))
    assert ServiceRequest.objects.get().pk == request.pk
