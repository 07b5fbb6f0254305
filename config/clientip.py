"""The client address of a request: one rule for rate limits, login lockout and logs.

Alur runs behind nginx (the shipped site appends the address it saw to
`X-Forwarded-For`). `X-Forwarded-For` is believed only when the connection comes from a
trusted proxy (`TRUSTED_PROXIES`, default loopback, where the shipped nginx runs); then
the client is the `NUM_PROXIES`-th address from the right, the one our own proxy saw.
Anything a client writes into the header itself stands left of that and is ignored. A
process reached directly (no proxy) always counts `REMOTE_ADDR`.
"""

import ipaddress

from django.conf import settings


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for network in getattr(settings, "TRUSTED_PROXIES", ()):
        if ip in ipaddress.ip_network(network, strict=False):
            return True
    return False


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded and _trusted(remote):
        hops = [h for h in forwarded.split(",") if h.strip()]
        if hops:
            chosen = _valid(hops[-min(proxies, len(hops))])
            if chosen:
                return chosen
    return remote or "unknown"


def client_address_for_axes(request, *args, **kwargs) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE (it stores a valid address, or none)."""
    return _valid(client_address(request))
