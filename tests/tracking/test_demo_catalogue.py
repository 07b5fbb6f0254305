"""Every demo service renders and accepts a submission through the page (no JavaScript)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from services_catalog.demo import demo_load
from services_catalog.models import ServiceType
from workflow.models import ServiceRequest

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n"
VALUES = {
    "text": "Contoh isian",
    "textarea": "Keterangan yang cukup panjang.",
    "number": "2",
    "date": "2026-12-01",
    "email": "pemohon@contoh.id",
    "phone": "081234567891",
}


def a_file(doc):
    if "application/pdf" in doc.content_types:
        return SimpleUploadedFile(f"{doc.code}.pdf", PDF, "application/pdf")
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return SimpleUploadedFile(f"{doc.code}.png", buffer.getvalue(), "image/png")


def test_every_demo_service_page_renders_and_submits(client, settings):
    settings.DEBUG = True
    demo_load()
    services = list(ServiceType.objects.public().prefetch_related("fields", "documents"))
    assert services
    for service in services:
        response = client.get(f"/layanan/{service.code}/")
        assert response.status_code == 200, service.code
        token = re.search(r'name="form_token" value="([^"]+)"', response.content.decode())
        body = {
            "applicant_name": "Ahmad Pemohon",
            "applicant_phone": "081234567891",
            "form_token": token.group(1),
        }
        for field in service.fields.all():
            body[f"f_{field.code}"] = field.choices[0] if field.choices else VALUES[field.type]
        for doc in service.documents.all():
            body[f"d_{doc.code}"] = a_file(doc)
        response = client.post(f"/layanan/{service.code}/", body)
        assert response.status_code == 302, (service.code, response.content.decode()[-3000:])
    assert ServiceRequest.objects.count() == len(services)
    html = client.get("/").content.decode()
    for service in services:
        assert service.name in html
