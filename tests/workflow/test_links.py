"""A request's public links have one definition (workflow.links), used by the API, the
receipt, its QR code and the WhatsApp messages, and they are the pages tracking serves."""

from django.urls import resolve, reverse

from notifications import texts
from tracking import receipts
from workflow import api
from workflow.links import request_access_url, request_status_url

NUMBER = "KJB-2026-00042-7"


def test_the_links_are_the_pages_tracking_serves(settings):
    settings.PUBLIC_BASE_URL = "https://layanan.kemenag.example"
    status = request_status_url(NUMBER)
    assert status == "https://layanan.kemenag.example/cek-status/KJB-2026-00042-7/"
    assert status.removeprefix(settings.PUBLIC_BASE_URL) == reverse(
        "tracking:track-detail", args=[NUMBER]
    )
    access = request_access_url(NUMBER, "rahasia-token")
    path, query = access.removeprefix(settings.PUBLIC_BASE_URL).split("?")
    assert path == reverse("tracking:own-request", args=[NUMBER])
    assert resolve(path).url_name == "own-request"
    assert query == "token=rahasia-token"


def test_the_receipt_and_the_messages_use_them(settings):
    settings.PUBLIC_BASE_URL = "https://layanan.kemenag.example"
    assert texts.tracking_url is request_status_url
    assert texts.applicant_url is request_access_url
    assert receipts.status_url(NUMBER) == request_status_url(NUMBER)


def test_the_api_tracking_url_is_that_link(settings):
    settings.PUBLIC_BASE_URL = "https://layanan.kemenag.example"
    assert api.request_status_url is request_status_url
    assert not hasattr(api, "tracking_url")  # its own copy is gone
