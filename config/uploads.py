"""The one upload path for private files (request documents, SKP evidence): the type is
read from the bytes, never the name; files are served only as private attachments.

Project machinery like config.exceptions: any room may import it.
"""

import hashlib
import mimetypes

import filetype
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes

from config.exceptions import NotFound

SNIFF_BYTES = 8192


def sniff_content_type(upload) -> str | None:
    """The content type read from the file's bytes (never its name or header)."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
# The schema of a download of a stored upload: served as the type sniffed when stored.
STORED_FILE_RESPONSES = {(200, content_type): OpenApiTypes.BINARY for content_type in EXTENSIONS}


def download_name(stem: str, content_type: str) -> str:
    """A file name we chose (`ktp.pdf`), never the one the uploader sent: a PDF uploaded as
    `evil.html` or `../../x.svg` must not be offered to a browser under that name."""
    return f"{stem}{EXTENSIONS.get(content_type) or mimetypes.guess_extension(content_type) or ''}"


def file_response(field_file, filename: str, *, content_type: str) -> FileResponse:
    """A stored file as a private download: served as the type sniffed when it was stored,
    as an attachment, never cached, never sniffed by the browser."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise NotFound() from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
