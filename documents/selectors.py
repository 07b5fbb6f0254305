"""Read-side questions about issued documents. Public answers carry no personal data."""

import re

from .models import CODE_ALPHABET, IssuedDocument

_SEPARATORS = re.compile(r"[\s\-_./]+")
_LOOKALIKES = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def normalize_code(text: str) -> str | None:
    """A typed verification code in canonical form, or None when it cannot be one."""
    code = _SEPARATORS.sub("", (text or "").upper()).translate(_LOOKALIKES)
    if not 8 <= len(code) <= 16 or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return code


def _documents():
    return IssuedDocument.objects.select_related("office")


def document_by_code(text: str) -> IssuedDocument | None:
    code = normalize_code(text)
    if code is None:
        return None
    return _documents().filter(code=code).first()


def document_by_sha256(sha256: str) -> IssuedDocument | None:
    sha256 = (sha256 or "").strip().lower()
    if not _SHA256.match(sha256):
        return None
    return _documents().filter(sha256=sha256).order_by("-issued_at").first()


def documents_of_request(request) -> list[IssuedDocument]:
    return list(IssuedDocument.objects.filter(request=request).order_by("issued_at", "pk"))


def public_verification(document: IssuedDocument) -> dict:
    """What anyone holding the code may know: the office, the kind of document, its number,
    when it was issued, its fingerprint and whether it still stands. Never the applicant,
    the form answers or the reason for a revocation (free text)."""
    return {
        "code": document.code,
        "valid": document.is_valid,
        "status": "valid" if document.is_valid else "revoked",
        "document": {
            "title": document.title,
            "letter_number": document.letter_number or None,
            "kind": document.kind,
            "signed": document.kind == IssuedDocument.Kind.LETTER,
            "signer_title": document.signer_title or None,
        },
        "office": {"code": document.office.code, "name": document.office.name},
        "issued_at": document.issued_at,
        "sha256": document.sha256,
        "revoked_at": document.revoked_at,
    }
