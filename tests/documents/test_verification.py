"""Public verification (page and API), checking a file by its hash, revocation."""

import pytest

from documents import services
from documents.models import IssuedDocument
from organization.models import StaffMembership
from tests import factories
from tests.documents.fixtures import at_result_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(umrah, staff, tu_staff, letter_template, signing_keys):
    req, task = at_result_step(umrah, staff, tu_staff)
    document = services.result_letter_issue(task=task, user=tu_staff)
    req.refresh_from_db()
    return req, document


PERSONAL = ("Siti Aminah", "+6281234567890", "PT Amanah", "KJB-")


def test_api_confirms_the_document_without_personal_data(
    api_client, issued, django_assert_num_queries
):
    req, document = issued
    with django_assert_num_queries(1):  # the document with its office, nothing more
        response = api_client.get(f"/api/v1/verify/{document.code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True
    assert body["sha256"] == document.sha256
    assert body["office"] == {"code": "KJB", "name": req.office.name}
    assert body["document"]["letter_number"] == document.letter_number
    assert body["issued_at"]
    text = response.content.decode()
    for value in (*PERSONAL, req.registration_number, req.access_token):
        assert value not in text


def test_page_shows_office_date_hash_and_no_personal_data(client, issued):
    req, document = issued
    response = client.get(f"/verifikasi/{document.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert document.sha256 in html
    assert req.office.name in html
    for value in (*PERSONAL, req.registration_number):
        assert value not in html


def test_code_is_read_forgivingly_and_unknown_is_404(api_client, client, issued):
    _req, document = issued
    typed = f"{document.code[:4].lower()}-{document.code[4:8]} {document.code[8:]}"
    assert api_client.get(f"/api/v1/verify/{typed}/").status_code == 200
    assert api_client.get("/api/v1/verify/ZZZZZZZZZZZZ/").status_code == 404
    assert client.get("/verifikasi/ZZZZZZZZZZZZ/").status_code == 404


def test_uploaded_pdf_is_checked_by_its_hash(api_client, client, issued):
    req, document = issued
    pdf = req.result_document.read()
    ok = api_client.post("/api/v1/verify/", {"file": factories.pdf_upload(content=pdf)})
    assert ok.status_code == 200 and ok.json()["code"] == document.code
    changed = pdf[:-10] + b"X" + pdf[-9:]
    bad = api_client.post("/api/v1/verify/", {"file": factories.pdf_upload(content=changed)})
    assert bad.status_code == 404
    page = client.post(f"/verifikasi/{document.code}/", {"file": factories.pdf_upload(content=pdf)})
    assert "file-result match" in page.content.decode()
    page = client.post(
        f"/verifikasi/{document.code}/", {"file": factories.pdf_upload(content=changed)}
    )
    assert "file-result mismatch" in page.content.decode()
    found = client.post("/verifikasi/", {"file": factories.pdf_upload(content=pdf)})
    assert document.sha256 in found.content.decode()


def test_revocation_with_reason(api_client, client, issued, umrah):
    req, document = issued
    chief = factories.UserFactory(username="kasubbag_tu")
    StaffMembership.objects.create(user=chief, unit=umrah.unit, role="supervisor")
    client.force_login(chief)
    refused = client.post(f"/staf/dokumen/{document.code}/cabut/", {"reason": ""})
    assert refused.status_code == 302
    document.refresh_from_db()
    assert document.revoked_at is None
    client.post(f"/staf/dokumen/{document.code}/cabut/", {"reason": "Salah nama PPIU"})
    document.refresh_from_db()
    assert document.revoked_at is not None and document.revocation_reason == "Salah nama PPIU"
    body = api_client.get(f"/api/v1/verify/{document.code}/").json()
    assert body["valid"] is False and body["status"] == "revoked"
    page = client.get(f"/verifikasi/{document.code}/").content.decode()
    assert "Salah nama PPIU" not in page  # the reason is free text: never public


def test_plain_staff_may_not_revoke(client, issued, tu_staff):
    _req, document = issued
    client.force_login(tu_staff)
    client.post(f"/staf/dokumen/{document.code}/cabut/", {"reason": "iseng"})
    document.refresh_from_db()
    assert document.revoked_at is None
    outsider = factories.UserFactory(username="luar")
    client.force_login(outsider)
    assert client.get(f"/staf/dokumen/{document.code}/").status_code == 404


def test_staff_generate_the_letter_from_the_request_page(
    client, umrah, staff, tu_staff, letter_template, signing_keys
):
    req, task = at_result_step(umrah, staff, tu_staff)
    client.force_login(tu_staff)
    page = client.get(f"/staf/permohonan/{req.registration_number}/").content.decode()
    assert f"/staf/surat/{task.pk}/terbitkan/" in page
    response = client.post(f"/staf/surat/{task.pk}/terbitkan/", {"note": ""})
    assert response.status_code == 302
    assert IssuedDocument.objects.filter(request=req, kind="letter").count() == 1
    page = client.get(f"/staf/permohonan/{req.registration_number}/").content.decode()
    assert "/terbitkan/" not in page
    assert IssuedDocument.objects.get(request=req).code in page


def test_verification_lookups_are_rate_limited(settings, api_client, issued):
    settings.VERIFY_RATE_LIMIT = "2/min"
    _req, document = issued
    from django.core.cache import cache

    cache.clear()
    codes = [api_client.get(f"/api/v1/verify/{document.code}/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
