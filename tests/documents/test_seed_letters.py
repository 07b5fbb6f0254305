"""manage.py seed_letters: the demo's result letters can be generated and signed."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from documents import services
from documents.models import LetterTemplate
from organization.models import StaffMembership
from services_catalog.models import ServiceType
from tests import factories
from workflow.services import task_complete

pytestmark = pytest.mark.django_db


def test_refused_without_debug():
    with pytest.raises(CommandError):
        call_command("seed_letters", stdout=io.StringIO())


def test_demo_letter_signed_with_the_development_certificate(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEV_SIGNING_PKCS12 = tmp_path / "dev" / "office.p12"
    settings.DOCUMENT_SIGNING_KEYS = {
        "*": {"pkcs12": str(settings.DEV_SIGNING_PKCS12), "passphrase": "alur-dev"}
    }
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_letters", stdout=io.StringIO())
        again = io.StringIO()
        call_command("seed_letters", stdout=again)  # idempotent
    assert "created: 0" in again.getvalue() and "kept" in again.getvalue()
    service = ServiceType.objects.get(code="rekomendasi-paspor-haji-umrah")
    template = LetterTemplate.objects.get(service=service)
    assert template.signing_position.name == "Kepala Kantor Kementerian Agama Kota Jambi"
    documents = {
        d.code: factories.pdf_upload()
        if "application/pdf" in d.content_types
        else factories.pdf_upload("foto.png", factories.PNG_BYTES, "image/png")
        for d in service.documents.all()
        if d.required
    }
    req = factories.submit_request(service, documents=documents)
    steps = list(service.steps.order_by("order"))
    for step in steps[:-1]:
        worker = StaffMembership.objects.filter(unit=step.unit, role="staff").first().user
        task_complete(task=req.tasks.get(status="open"), user=worker, decision="approve")
    last = StaffMembership.objects.filter(unit=steps[-1].unit, role="staff").first().user
    document = services.result_letter_issue(task=req.tasks.get(status="open"), user=last)
    assert document.letter_number.startswith("B-0001/KJB/")
    assert document.signer_name
