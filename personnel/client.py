"""A read-only client of BKN's SIASN web services (DOMAIN.md 7.1), for agencies that
hold BKN credentials. Off unless `SIASN_API_BASE_URL` and the credentials are set.

Two tokens: the API gateway's (WSO2, OAuth2 client credentials with the consumer key and
secret as HTTP Basic) and the SSO user token (SIASN's Keycloak, password grant). Every
call carries both: `Authorization: Bearer <gateway token>` and `Auth: bearer <SSO token>`.
Only GETs: Alur never writes to SIASN.
"""

import logging
import time
from collections.abc import Iterable, Iterator

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from .siasn import BknRow, RowError, row_from_data_utama

logger = logging.getLogger(__name__)


class SiasnError(Exception):
    """SIASN could not be asked (not configured, refused, unreachable, unexpected answer)."""


def is_configured() -> bool:
    return bool(
        settings.SIASN_API_BASE_URL
        and settings.SIASN_CONSUMER_KEY
        and settings.SIASN_CONSUMER_SECRET
        and settings.SIASN_SSO_USERNAME
    )


class SiasnClient:
    def __init__(self, session: requests.Session | None = None):
        if not is_configured():
            raise SiasnError(_("The SIASN API is not configured (SIASN_* settings)."))
        self.session = session or requests.Session()
        self.timeout = settings.SIASN_HTTP_TIMEOUT
        self._tokens: dict[str, tuple[str, float]] = {}

    # --- tokens ---------------------------------------------------------------------------

    def _token(self, kind: str, *, fresh: bool = False) -> str:
        token, expires = self._tokens.get(kind, ("", 0.0))
        if token and not fresh and time.monotonic() < expires:
            return token
        if kind == "gateway":
            response = self._post(
                settings.SIASN_TOKEN_URL,
                data={"grant_type": "client_credentials"},
                auth=(settings.SIASN_CONSUMER_KEY, settings.SIASN_CONSUMER_SECRET),
            )
        else:
            response = self._post(
                settings.SIASN_SSO_TOKEN_URL,
                data={
                    "grant_type": "password",
                    "client_id": settings.SIASN_SSO_CLIENT_ID,
                    "username": settings.SIASN_SSO_USERNAME,
                    "password": settings.SIASN_SSO_PASSWORD,
                },
            )
        try:
            body = response.json()
            token = body["access_token"]
            lifetime = float(body.get("expires_in", 300))
        except (ValueError, KeyError, TypeError):
            raise SiasnError(
                _("SIASN answered the %(kind)s token request unexpectedly.") % {"kind": kind}
            ) from None
        # Renew a little early, so a token never expires between the check and the call.
        self._tokens[kind] = (token, time.monotonic() + max(lifetime - 30, 1))
        return token

    def _post(self, url, **kwargs):
        try:
            response = self.session.post(url, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise SiasnError(_("SIASN cannot be reached: %(e)s") % {"e": error}) from None
        if response.status_code != 200:
            raise SiasnError(
                _("SIASN refused the token request (HTTP %(code)s).")
                % {"code": response.status_code}
            )
        return response

    def _get(self, path: str):
        url = f"{settings.SIASN_API_BASE_URL.rstrip('/')}/{path.lstrip('/')}"
        for attempt in (1, 2):
            headers = {
                "Authorization": f"Bearer {self._token('gateway', fresh=attempt == 2)}",
                "Auth": f"bearer {self._token('sso', fresh=attempt == 2)}",
                "Accept": "application/json",
            }
            try:
                response = self.session.get(url, headers=headers, timeout=self.timeout)
            except requests.RequestException as error:
                raise SiasnError(_("SIASN cannot be reached: %(e)s") % {"e": error}) from None
            if response.status_code != 401:
                return response
            logger.info("SIASN token refused; renewing both tokens once")
        raise SiasnError(_("SIASN refused the credentials."))

    # --- reads ----------------------------------------------------------------------------

    def data_utama(self, nip: str) -> dict | None:
        """`GET pns/data-utama/{nipBaru}`: the record, or None when BKN has no such NIP."""
        response = self._get(f"pns/data-utama/{nip}")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise SiasnError(
                _("SIASN answered HTTP %(code)s for %(nip)s.")
                % {"code": response.status_code, "nip": nip}
            )
        try:
            body = response.json()
        except ValueError:
            raise SiasnError(_("SIASN's answer for %(nip)s is not JSON.") % {"nip": nip}) from None
        data = body.get("data") if isinstance(body, dict) else None
        return data if isinstance(data, dict) and data else None


def fetch_rows(
    nips: Iterable[str],
    client: SiasnClient | None = None,
) -> Iterator[tuple[int, BknRow | RowError]]:
    """The records of these NIPs as import rows (the same path as a file's rows)."""
    client = client or SiasnClient()
    for number, nip in enumerate(nips, start=1):
        record = client.data_utama(nip)
        if record is None:
            yield number, RowError(_("NIP %(nip)s is not in SIASN.") % {"nip": nip})
            continue
        try:
            yield number, row_from_data_utama(record)
        except RowError as error:
            yield number, error
