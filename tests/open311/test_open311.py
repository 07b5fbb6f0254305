"""Open311 rules through the Django test client: errors in the GeoReport shape (JSON and
XML), api_key and per-client rate limit, date ranges, jurisdiction, `open311_key`."""

import datetime
import io

import pytest
import xmltodict
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from open311.models import ApiClient, Open311Request
from open311.services import api_client_for_key
from tests import factories
from tests.open311.conftest import APPLICANT
from workflow.models import ServiceRequest

pytestmark = pytest.mark.django_db
V2 = "/open311/v2"


def post(client, catalogue, fmt="json", key=None, **extra):
    data = {
        "service_code": catalogue.umrah.code,
        "api_key": key or catalogue.key,
        "first_name": "Siti",
        "last_name": "Aminah",
        "phone": APPLICANT["phone"],
        "attribute[keperluan]": "Umrah keluarga",
        "attribute[jenis]": "umrah",
        **extra,
    }
    return client.post(f"{V2}/requests.{fmt}", data)


def test_post_files_the_request_through_the_workflow(catalogue):
    response = post(Client(), catalogue, **{"attribute[nik]": APPLICANT["nik"]})
    assert response.status_code == 201
    (body,) = response.json()
    request = ServiceRequest.objects.get(registration_number=body["service_request_id"])
    assert (request.applicant_name, request.applicant_phone) == ("Siti Aminah", "+6281234567890")
    assert request.applicant_nik == APPLICANT["nik"]
    assert request.data["jenis"] == "umrah"
    assert request.status == "submitted" and request.events.count() == 1
    assert Open311Request.objects.get(request=request).client == catalogue.client


def test_workflow_refusals_name_the_georeport_parameters(catalogue):
    client = Client()
    response = post(client, catalogue, **{"attribute[jenis]": "ziarah", "phone": "12"})
    assert response.status_code == 400
    descriptions = {e["description"].split(":")[0] for e in response.json()}
    assert descriptions == {"attribute[jenis]", "phone"}
    assert all(e["code"] == 400 for e in response.json())
    xml = post(client, catalogue, fmt="xml", **{"attribute[jenis]": "ziarah"})
    error = xmltodict.parse(xml.content)["errors"]["error"]
    assert error["code"] == "400" and "attribute[jenis]" in error["description"]
    unknown = post(client, catalogue, service_code="tidak-ada")
    assert unknown.status_code == 404
    free_text = post(client, catalogue, description="Mohon segera")
    assert free_text.status_code == 400 and "description" in free_text.json()[0]["description"]
    assert ServiceRequest.objects.count() == 0


def test_api_key_is_required_active_and_limited_per_client(catalogue, settings):
    client = Client()
    assert post(client, catalogue, key="salah").status_code == 403
    catalogue.client.post_rate = "2/min"
    catalogue.client.save()
    assert [post(client, catalogue).status_code for _ in range(3)] == [201, 201, 429]
    limited = post(client, catalogue)
    assert int(limited["Retry-After"]) >= 1
    assert limited.json()[0]["code"] == 429
    ApiClient.objects.filter(pk=catalogue.client.pk).update(is_active=False)
    assert api_client_for_key(catalogue.key) is None


def test_get_requests_by_status_date_range_and_ids(catalogue):
    old = factories.submit_request(catalogue.umrah)
    ServiceRequest.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=200)
    )
    new = factories.submit_request(catalogue.umrah)
    client = Client()
    recent = client.get(f"{V2}/requests.json").json()
    assert [r["service_request_id"] for r in recent] == [new.registration_number]
    start = (timezone.now() - datetime.timedelta(days=210)).date().isoformat()
    end = (timezone.now() - datetime.timedelta(days=150)).date().isoformat()
    ranged = client.get(f"{V2}/requests.json", {"start_date": start, "end_date": end}).json()
    assert [r["service_request_id"] for r in ranged] == [old.registration_number]
    both = client.get(
        f"{V2}/requests.json",
        {"service_request_id": f"{old.registration_number},{new.registration_number}"},
    ).json()
    assert len(both) == 2
    too_long = client.get(
        f"{V2}/requests.json", {"start_date": "2025-01-01", "end_date": "2025-06-01"}
    )
    assert too_long.status_code == 400
    assert client.get(f"{V2}/requests.json", {"start_date": "kemarin"}).status_code == 400
    assert client.get(f"{V2}/requests.json", {"status": "pending"}).status_code == 400
    assert client.get(f"{V2}/requests.json", {"status": "closed"}).json() == []


def test_jurisdiction_and_unknown_things(catalogue):
    other = factories.UnitFactory()
    factories.ServiceTypeFactory(unit=other, code="layanan-lain")
    client = Client()
    codes = [
        s["service_code"]
        for s in client.get(f"{V2}/services.json", {"jurisdiction_id": "kjb"}).json()
    ]
    assert "layanan-lain" not in codes and len(codes) == 2
    assert client.get(f"{V2}/services.json", {"jurisdiction_id": "ZZ"}).status_code == 404
    assert client.get(f"{V2}/services/tidak-ada.json").status_code == 404
    assert client.get(f"{V2}/requests/KJB-2026-00001-X.xml").status_code == 404
    assert client.get(f"{V2}/tokens/nope.json").status_code == 404
    assert client.get(f"{V2}/services.html").status_code == 404


def test_reads_are_rate_limited_per_address(catalogue, settings):
    settings.OPEN311_RATE_LIMIT = "3/min"
    client = Client()
    codes = [client.get(f"{V2}/services.json").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_list_queries_do_not_grow_with_requests(catalogue, django_assert_max_num_queries):
    for _ in range(5):
        factories.submit_request(catalogue.umrah)
    with django_assert_max_num_queries(4):
        assert len(Client().get(f"{V2}/requests.json").json()) == 5


def test_open311_key_prints_one_working_key(db):
    out = io.StringIO()
    call_command("open311_key", "Aplikasi Kabupaten", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and len(lines[0]) >= 40
    assert api_client_for_key(lines[0]).name == "Aplikasi Kabupaten"
    assert ApiClient.objects.get().key_digest != lines[0]
