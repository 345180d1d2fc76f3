"""Which webhook URLs the server may call: http(s) to public addresses only (SSRF).

A URL is checked when it is saved and again before every attempt: its host is resolved and
every address it resolves to must be public (not loopback, private, link-local, multicast,
reserved or unspecified), and the attempt then connects to one of exactly those addresses, so a
name that resolves to a public address when saved and to 127.0.0.1 later (DNS rebinding) is
refused. OPENPRM_WEBHOOKS_ALLOW_PRIVATE=true lifts the address rule for an operator whose
receivers are on the internal network.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from openprm.webhooks.models import AttemptError


class AddressRefused(Exception):
    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail


@dataclass(frozen=True)
class Target:
    parts: SplitResult
    host: str
    port: int
    addresses: list[str]

    @property
    def is_https(self) -> bool:
        return self.parts.scheme == "https"

    @property
    def path(self) -> str:
        path = self.parts.path or "/"
        return f"{path}?{self.parts.query}" if self.parts.query else path


def parsed(url: str) -> SplitResult:
    """The URL's form alone, without looking anything up."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise AddressRefused("invalid", _("Enter a valid URL.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused("invalid", _("Enter an http:// or https:// URL with a host name."))
    if parts.username or parts.password:
        raise AddressRefused("invalid", _("Put no user name or password in the URL."))
    if port == 0:
        raise AddressRefused("invalid", _("Enter a valid URL."))
    return parts


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address the host has, in the resolver's order (a literal address is itself)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused(
            AttemptError.DNS, _("The host name could not be resolved."), host
        ) from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def target(url: str) -> Target:
    """The URL with the addresses an attempt may connect to; refused ones raise."""
    parts = parsed(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(host, port)
    if not settings.OPENPRM_WEBHOOKS_ALLOW_PRIVATE:
        refused = [address for address in addresses if not is_public(address)]
        if refused:
            raise AddressRefused(
                AttemptError.REFUSED_ADDRESS,
                _(
                    "The URL points to a private, loopback or reserved address (%(address)s); "
                    "webhooks are sent to public addresses only."
                )
                % {"address": refused[0]},
                refused[0],
            )
    return Target(parts=parts, host=host, port=port, addresses=addresses)
