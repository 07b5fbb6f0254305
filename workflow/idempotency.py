"""`Idempotency-Key` for submissions (CONTRACT.md section 3).

The key's row is inserted in the same transaction as the request it creates. A second
submission with the same key blocks on the unique index until the first commits, then
finds the row: same body -> the first response again, nothing created; different body ->
409. A failed (4xx) first attempt rolls its row back, so the key stays usable.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError, Conflict

from .models import IdempotencyKey

MAX_KEY_LENGTH = 255


def body_hash(payload, files: dict) -> str:
    """A fingerprint of the submission: canonical JSON plus each file's code and digest."""
    digest = hashlib.sha256()
    digest.update(json.dumps(payload, sort_keys=True, separators=(",", ":")).encode())
    for code in sorted(files):
        upload = files[code]
        file_digest = hashlib.sha256()
        upload.seek(0)
        for chunk in upload.chunks():
            file_digest.update(chunk)
        upload.seek(0)
        digest.update(f"\n{code}:{file_digest.hexdigest()}".encode())
    return digest.hexdigest()


def _replay(row: IdempotencyKey, fingerprint: str):
    if row.body_hash != fingerprint:
        raise Conflict(_("This Idempotency-Key was already used with a different request body."))
    if row.status_code is None:
        raise Conflict(_("A request with this Idempotency-Key is still being processed."))
    return row.status_code, row.response


def run_once(key: str, fingerprint: str, action):
    """Run `action() -> (status_code, body, service_request)` at most once per key.

    Returns (status_code, body, replayed).
    """
    key = (key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ApplicationError(
            field_errors={"Idempotency-Key": [_("Use a key of 1 to 255 characters.")]}
        )
    for _attempt in range(2):
        existing = IdempotencyKey.objects.filter(key=key).first()
        if existing is not None:
            return (*_replay(existing, fingerprint), True)
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(key=key, body_hash=fingerprint)
                status_code, body, service_request = action()
                row.status_code = status_code
                row.response = body
                row.request = service_request
                row.save(update_fields=["status_code", "response", "request"])
                return status_code, body, False
        except IntegrityError:
            if not IdempotencyKey.objects.filter(key=key).exists():
                raise
    raise Conflict(_("A request with this Idempotency-Key is still being processed."))
