"""Who sent a request: the one rule behind sign-in limits, API rate limits and the access log."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Also the WSGI environ key the access log reads (see AccessLogMiddleware).
ENVIRON_KEY = "OPENPRM_CLIENT_ADDRESS"


def client_address(request: HttpRequest) -> str:
    """The connection's address, or behind OPENPRM_TRUSTED_PROXIES proxies the address the
    outermost of them received the request from.

    Each proxy appends the address it was connected from to X-Forwarded-For, so only that many
    entries from the right were written by a proxy the operator trusts; whatever stands further
    left is what the client chose to send."""
    known = request.META.get(ENVIRON_KEY)
    if known:
        return str(known)
    forwarded = forwarded_client(
        request.META.get("HTTP_X_FORWARDED_FOR", ""), settings.OPENPRM_TRUSTED_PROXIES
    )
    address = forwarded or request.META.get("REMOTE_ADDR") or ""
    request.META[ENVIRON_KEY] = address
    return address


def forwarded_client(header: str, trusted_proxies: int) -> str | None:
    if trusted_proxies <= 0:
        return None
    hops = [hop.strip() for hop in header.split(",") if hop.strip()]
    if not hops:
        return None
    candidate = hops[-min(trusted_proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None
