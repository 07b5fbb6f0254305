"""Serving stored documents: one rule for the staff page, the staff and applicant API and
the applicant's own page.

Never trust what the applicant said about a file: the type served is the one sniffed
from its bytes when it was stored, the name is derived from the request, the document
code (or the service's product) and that type (`KJB-2026-00001-X-ktp.pdf`,
`KJB-2026-00001-X-surat-rekomendasi.pdf`), it is always an attachment, and the browser
is told not to sniff (`nosniff`) or keep a copy (`no-store`). A PDF uploaded as
`evil.html` or `../../x.svg` is served as `application/pdf` named `<number>-<code>.pdf`.
"""

from django.utils.text import slugify

from config.exceptions import NotFound
from config.uploads import EXTENSIONS, download_name, file_response

from .models import RequestStatus, ServiceRequest

_TYPES = {ext: content_type for content_type, ext in EXTENSIONS.items()} | {".jpeg": "image/jpeg"}


def document_download(document):
    # `KJB-2026-00001-N-ktp.pdf`: which request and which document, once saved.
    stem = f"{document.request.registration_number}-{document.code}"
    return file_response(
        document.file,
        download_name(stem, document.content_type),
        content_type=document.content_type,
    )


def result_download(service_request: ServiceRequest):
    """The result document once completed; its stored name carries the sniffed type."""
    if service_request.status != RequestStatus.COMPLETED or not service_request.result_document:
        raise NotFound()
    stored = service_request.result_document.name
    ext = ("." + stored.rsplit(".", 1)[-1].lower()) if "." in stored.rsplit("/", 1)[-1] else ""
    content_type = _TYPES.get(ext, "application/octet-stream")
    return file_response(
        service_request.result_document,
        download_name(_result_stem(service_request), content_type),
        content_type=content_type,
    )


def _result_stem(service_request) -> str:
    """`KJB-2026-00001-N-surat-rekomendasi`: the number and the service's product."""
    product = slugify(service_request.service.product or "")[:60].strip("-")
    return f"{service_request.registration_number}-{product or 'hasil'}"
