"""Open311 GeoReport v2 through existing third-party clients from PyPI, over real HTTP
(the live server): `georeport` (services, definition, GET by id and by status, JSON and
XML) and `civicbot` (POST and tokens in JSON; its prepared POST sent as .xml)."""

import urllib.request

import pytest
import requests
import xmltodict
from civicbot.http import HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport

from tests.open311.conftest import APPLICANT

pytestmark = pytest.mark.django_db(transaction=True)
# The phone in every form it could leak in (typed 0812-3456-7890, E.164 +6281234567890):
# not four-digit fragments, which a timestamp's microseconds can contain by chance.
PHONE_FORMS = ["3456-7890", "81234567890"]
PERSONAL = ["Siti", "Aminah", *PHONE_FORMS, "siti.aminah", "3273015508900001", "Umrah keluarga"]


@pytest.fixture
def base(live_server):
    return f"{live_server.url}/open311/v2"


def civicbot(base, fmt="json"):
    endpoint = Endpoint(id="alur", name="Alur", base_url=base, write=True)
    transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0))
    return Open311Client(endpoint, transport=transport, jurisdiction_id="KJB", fmt=fmt)


def post_with_civicbot(base, catalogue, fmt="json"):
    client = civicbot(base, fmt)
    attributes = {"keperluan": "Umrah keluarga", "jenis": "umrah"}
    if fmt == "json":
        prepared = client.create_request(
            catalogue.umrah.code,
            dry_run=False,
            confirm="SEND",
            api_key=catalogue.key,
            address_string="Kota Jambi",
            attributes=attributes,
            validate_remote=True,
            first_name=APPLICANT["first_name"],
            last_name=APPLICANT["last_name"],
            phone=APPLICANT["phone"],
            email=APPLICANT["email"],
        )
        return prepared.response
    prepared = client.build_request(
        catalogue.umrah.code,
        api_key=catalogue.key,
        address_string="Kota Jambi",
        attributes=attributes,
        first_name=APPLICANT["first_name"],
        last_name=APPLICANT["last_name"],
        phone=APPLICANT["phone"],
    )
    assert prepared.url.endswith("/requests.xml")
    body = urllib.parse.urlencode(prepared.form).encode()
    request = urllib.request.Request(prepared.url, data=body, method="POST")  # noqa: S310
    raw = client.http._open(request)
    return xmltodict.parse(raw)["service_requests"]["request"]


def assert_nothing_personal(base, paths):
    for path in paths:
        body = requests.get(f"{base}/{path}", timeout=10).text
        for text in PERSONAL:
            assert text not in body, (path, text)


def test_json_services_definition_post_get_by_id_and_status(base, catalogue):
    geo = GeoReport(base, jurisdiction="KJB")
    services = geo.get_service_list()
    codes = {s["service_code"]: s for s in services}
    assert set(codes) == {"rekomendasi-paspor-umrah", "legalisir-ijazah"}
    assert codes["rekomendasi-paspor-umrah"]["metadata"] is True
    assert codes["rekomendasi-paspor-umrah"]["group"] == "Seksi PHU"
    definition = geo.get_service_definition(catalogue.umrah.code)
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert attributes["keperluan"]["datatype"] == "string"
    assert attributes["keperluan"]["required"] is True
    assert attributes["jenis"]["datatype"] == "singlevaluelist"
    assert attributes["jenis"]["values"] == [
        {"key": "umrah", "name": "umrah"},
        {"key": "haji khusus", "name": "haji khusus"},
    ]
    assert attributes["tanggal_berangkat"]["required"] is False

    (filed,) = post_with_civicbot(base, catalogue)
    number = filed["service_request_id"]
    assert number.startswith("KJB-")
    assert "3 working days" in filed["service_notice"] or "3 hari kerja" in filed["service_notice"]

    one = geo.get_service_request(number)
    assert one["service_request_id"] == number
    assert (one["status"], one["service_code"]) == ("open", catalogue.umrah.code)
    assert one["agency_responsible"] == "Seksi PHU, Kantor Kementerian Agama Kota Jambi"
    for key in (
        "status_notes",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
    ):
        assert one[key], key
    listed = geo.get_service_requests(status="open")
    assert [r["service_request_id"] for r in listed] == [number]
    assert geo.get_service_requests(status="closed") == []
    token = civicbot(base).get_token(filed["token"])
    assert token == [{"service_request_id": number, "token": filed["token"]}]
    assert_nothing_personal(
        base,
        [
            "services.json",
            f"requests/{number}.json",
            "requests.json?status=open",
            f"tokens/{filed['token']}.json",
        ],
    )


def test_xml_services_definition_post_get_by_id_and_status(base, catalogue):
    geo = GeoReport(base, jurisdiction="KJB", output_format="xml")
    services = geo.get_service_list()
    assert {s["service_code"] for s in services} == {"rekomendasi-paspor-umrah", "legalisir-ijazah"}
    definition = geo.get_service_definition(catalogue.umrah.code)
    assert definition["service_code"] == catalogue.umrah.code
    attributes = definition["attributes"]["attribute"]
    jenis = next(a for a in attributes if a["code"] == "jenis")
    assert (jenis["datatype"], jenis["required"], jenis["variable"]) == (
        "singlevaluelist",
        "true",
        "true",
    )
    assert [v["key"] for v in jenis["values"]["value"]] == ["umrah", "haji khusus"]

    filed = post_with_civicbot(base, catalogue, fmt="xml")
    number = filed["service_request_id"]
    assert filed["token"] and filed["service_notice"]

    one = geo.get_service_request(number)
    assert (one["service_request_id"], one["status"]) == (number, "open")
    listed = geo.get_service_requests(status="open")
    assert listed["service_request_id"] == number  # one request: xmltodict gives the element
    raw = requests.get(f"{base}/requests/{number}.xml", timeout=10)
    assert raw.headers["Content-Type"].startswith("text/xml")
    assert raw.text.startswith("<?xml version='1.0' encoding='utf-8'?>\n<service_requests>")
    assert_nothing_personal(
        base,
        [
            "services.xml",
            f"requests/{number}.xml",
            "requests.xml?status=open",
            f"tokens/{filed['token']}.xml",
        ],
    )


def test_refusals_come_back_as_georeport_errors_to_the_client(base, catalogue):
    client = civicbot(base)
    with pytest.raises(Exception) as error:
        client.create_request(
            catalogue.legalisir.code,
            dry_run=False,
            confirm="SEND",
            api_key=catalogue.key,
            address_string="Kota Jambi",
            first_name="Siti",
            phone=APPLICANT["phone"],
        )
    assert error.value.status == 400
    assert "ijazah" in error.value.body and '"code": 400' in error.value.body
    with pytest.raises(Exception) as error:
        client.create_request(
            catalogue.umrah.code,
            dry_run=False,
            confirm="SEND",
            api_key="salah",
            address_string="Kota Jambi",
            first_name="Siti",
            phone=APPLICANT["phone"],
        )
    assert error.value.status == 403
