"""PAdES signatures (pyHanko) with the office's certificate.

`settings.DOCUMENT_SIGNING_KEYS` maps an office code (or "*" for every other office) to
`{"pkcs12": "/path/office.p12", "passphrase": "..."}` (environment: JSON in
`DOCUMENT_SIGNING_KEYS`). The key file never enters the database or the media storage.
"""

import io
import logging
import os
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError

logger = logging.getLogger(__name__)


class SigningUnavailable(ApplicationError):
    default_message = _("This office has no signing certificate configured.")


def _key_config(office_code: str) -> dict | None:
    keys = getattr(settings, "DOCUMENT_SIGNING_KEYS", None) or {}
    return keys.get(office_code) or keys.get("*")


@lru_cache(maxsize=16)
def _load_signer(path: str, passphrase: str, mtime: float):
    from pyhanko.sign import signers  # pyHanko is imported when first needed (see sign_pdf)

    # mtime is part of the key: a renewed certificate file is read again.
    return signers.SimpleSigner.load_pkcs12(
        pfx_file=path, passphrase=passphrase.encode() if passphrase else None
    )


def signer_for(office):
    """The office's pyHanko signer; SigningUnavailable when none is configured or it cannot
    be read (the reason is logged, never shown: it may name a path)."""
    config = _key_config(office.code)
    if not config or not config.get("pkcs12"):
        raise SigningUnavailable()
    path = config["pkcs12"]
    try:
        signer = _load_signer(path, config.get("passphrase") or "", os.path.getmtime(path))
    except (OSError, ValueError) as exc:
        logger.error("signing key of office %s cannot be read: %s", office.code, exc)
        signer = None
    if signer is None:
        raise SigningUnavailable(_("The office's signing certificate cannot be read."))
    return signer


def sign_pdf(pdf_bytes: bytes, *, office, reason: str, signer_name: str) -> bytes:
    """The PDF with an invisible PAdES (ETSI.CAdES.detached) signature appended as an
    incremental update; any later change to the signed bytes breaks it."""
    # Imported here, not at the top: pyHanko (with aiohttp) is a third of every process's
    # start-up (gunicorn, Celery, manage.py), and most processes never sign.
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signer_for(office)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    meta = signers.PdfSignatureMetadata(
        field_name="Signature",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason[:200],
        location=(office.city or office.name)[:100],
        name=signer_name[:200],
    )
    out = signers.PdfSigner(meta, signer=signer).sign_pdf(writer)
    return out.getvalue()
