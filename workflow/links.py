"""The public links of a request: the one definition for the API's `tracking_url`, the
receipt and its QR code, and the WhatsApp messages. The paths are the contract's pages
(CONTRACT.md section 5), served by tracking; the workflow may not import tracking, so a
test checks these against tracking's URL patterns."""

from urllib.parse import quote, urlencode

from config.links import absolute_url


def request_status_path(number: str) -> str:
    return f"/cek-status/{quote(number)}/"


def request_status_url(number: str) -> str:
    """The public status page of a request (what the QR code holds)."""
    return absolute_url(request_status_path(number))


def request_access_url(number: str, access_token: str) -> str:
    """The applicant's own page with the access token (receipt and WhatsApp only)."""
    return absolute_url(f"/permohonan/{quote(number)}/?{urlencode({'token': access_token})}")
