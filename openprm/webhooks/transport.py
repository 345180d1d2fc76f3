"""One HTTP POST to a webhook receiver, with the standard library's http.client.

It connects to an address that `addresses.target` checked (never resolving the name again, so
DNS rebinding cannot slip a private address in between), gives up on connecting after
OPENPRM_WEBHOOKS_CONNECT_TIMEOUT seconds and on any read after OPENPRM_WEBHOOKS_READ_TIMEOUT,
so a receiver that hangs costs a worker that long and no more. Redirects are not followed
(a 3xx is a failed attempt) and no proxy is used. Only the status line is read.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from openprm.webhooks.addresses import AddressRefused, Target, target
from openprm.webhooks.models import AttemptError


@dataclass(frozen=True)
class Outcome:
    started_at: datetime
    duration_ms: int
    response_code: int | None = None
    error: str = ""
    detail: str = ""

    @property
    def succeeded(self) -> bool:
        return not self.error


class ConnectFailed(Exception):
    """Connecting failed (as opposed to a failure after the request was on its way)."""


def connect_any(addresses: list[str], port: int) -> socket.socket:
    failure: OSError | None = None
    for address in addresses:
        try:
            sock = socket.create_connection(
                (address, port), timeout=settings.OPENPRM_WEBHOOKS_CONNECT_TIMEOUT
            )
        except OSError as exc:
            failure = exc
            continue
        sock.settimeout(settings.OPENPRM_WEBHOOKS_READ_TIMEOUT)
        return sock
    raise ConnectFailed(str(failure)) from failure


class PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, where: Target) -> None:
        super().__init__(where.host, where.port)
        self.where = where

    def connect(self) -> None:
        self.sock = connect_any(self.where.addresses, self.where.port)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to the checked address, verified against the host name of the URL."""

    def __init__(self, where: Target) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(where.host, where.port, context=self.tls)
        self.where = where

    def connect(self) -> None:
        sock = connect_any(self.where.addresses, self.where.port)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.where.host)


def failure_of(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, ConnectFailed):
        cause = exc.__cause__
        code = AttemptError.TIMEOUT if isinstance(cause, TimeoutError) else AttemptError.CONNECT
        return code, str(exc)
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return AttemptError.TLS, str(exc)
    if isinstance(exc, TimeoutError):
        return AttemptError.TIMEOUT, str(exc) or "timed out"
    return AttemptError.OTHER, f"{type(exc).__name__}: {exc}"


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """One attempt; never raises for anything the receiver or the network does."""
    started_at = timezone.now()
    started = time.monotonic()

    def outcome(**result: Any) -> Outcome:
        duration_ms = round((time.monotonic() - started) * 1000)
        return Outcome(started_at=started_at, duration_ms=duration_ms, **result)

    try:
        where = target(url)
    except AddressRefused as exc:
        code = exc.code if exc.code in AttemptError.values else AttemptError.OTHER
        return outcome(error=code, detail=exc.detail or exc.message)
    connection_class = PinnedHTTPSConnection if where.is_https else PinnedHTTPConnection
    connection = connection_class(where)
    try:
        connection.request("POST", where.path, body=body, headers=headers)
        status = connection.getresponse().status
    except (OSError, http.client.HTTPException, ConnectFailed) as exc:
        code, detail = failure_of(exc)
        return outcome(error=code, detail=detail[:300])
    finally:
        connection.close()
    if 200 <= status < 300:
        return outcome(response_code=status)
    return outcome(response_code=status, error=AttemptError.HTTP_STATUS, detail=f"HTTP {status}")
