"""Sign-in limits: a growing wait per account after failed passwords, and a limit per client
address (django-axes) on one address trying many accounts.

An account's failures count from every address, so spreading guesses over many addresses buys
nothing. After OPENPRM_LOGIN_FAILURE_LIMIT failures it waits a minute, and each further failure
doubles the wait up to OPENPRM_LOGIN_BACKOFF_MAX_MINUTES. Attempts refused while it waits are not
failures, so nobody can stretch the wait: the right password works as soon as it is over, and a
new password (changed or reset) ends it at once. The address limit is axes's: AXES_FAILURE_LIMIT
failures from one address within AXES_COOLOFF_TIME, whatever the accounts.
"""

import math
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from openprm.accounts.models import SignInFailures
from openprm.core.client_address import client_address

LOCKED_OUT_MESSAGE = "Too many failed sign-in attempts; try again later."
FAILURES_FORGOTTEN_AFTER = timedelta(days=1)
NO_WAIT = timedelta(0)


def normalized(email: Any) -> str:
    return str(email or "").strip().lower()


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The same key for the sign-in page and the API token exchange: the lower-cased email."""
    return normalized((credentials or {}).get("username") or request.POST.get("username", ""))


def account_wait(failures: int) -> timedelta:
    over = failures - settings.OPENPRM_LOGIN_FAILURE_LIMIT
    if over < 0:
        return NO_WAIT
    longest = timedelta(minutes=settings.OPENPRM_LOGIN_BACKOFF_MAX_MINUTES)
    return min(timedelta(minutes=2 ** min(over, 30)), longest)


def account_retry_after(email: str, now: datetime) -> timedelta:
    failures = SignInFailures.objects.filter(email=normalized(email)).first()
    if failures is None or now - failures.last_failed_at > FAILURES_FORGOTTEN_AFTER:
        return NO_WAIT
    return max(failures.last_failed_at + account_wait(failures.count) - now, NO_WAIT)


def address_retry_after(request: HttpRequest, now: datetime) -> timedelta:
    if AxesProxyHandler.is_allowed(request):
        return NO_WAIT
    cool_off = get_cool_off(request) or NO_WAIT
    latest = AccessAttempt.objects.filter(ip_address=client_address(request)).aggregate(
        latest=Max("attempt_time")
    )["latest"]
    return max((latest or now) + cool_off - now, NO_WAIT)


def retry_after(request: HttpRequest, email: str) -> timedelta:
    """How long until a password for this email from this address is checked; zero for now."""
    now = timezone.now()
    return max(account_retry_after(email, now), address_retry_after(request, now))


def is_locked_out(request: HttpRequest, email: str) -> bool:
    """Checked before the password, so a waiting account stays refused even with the right one."""
    return retry_after(request, email) > NO_WAIT


def whole_seconds(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds()))


@transaction.atomic
def record_failure(email: str) -> None:
    email = normalized(email)
    if not email:
        return
    now = timezone.now()
    failures, created = SignInFailures.objects.select_for_update().get_or_create(
        email=email, defaults={"count": 1, "last_failed_at": now}
    )
    if created:
        SignInFailures.objects.filter(last_failed_at__lt=now - FAILURES_FORGOTTEN_AFTER).delete()
        return
    if now - failures.last_failed_at > FAILURES_FORGOTTEN_AFTER:
        failures.count = 0
    elif now < failures.last_failed_at + account_wait(failures.count):
        return
    failures.count += 1
    failures.last_failed_at = now
    failures.save(update_fields=["count", "last_failed_at"])


def clear_failures(email: str) -> None:
    SignInFailures.objects.filter(email=normalized(email)).delete()


def on_sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    """Django's user_login_failed: every password sign-in (page, token exchange, admin)."""
    record_failure(credentials.get("username", ""))


def on_signed_in(sender: Any, user: Any, **kwargs: Any) -> None:
    clear_failures(user.get_username())


class AccountWaitBackend:
    """Refuses a waiting account before any backend checks its password: for the Django
    admin's sign-in, since the sign-in page and the token exchange ask `is_locked_out` first.

    Not a BaseBackend: it has no users to load, so a session or force_login never names it."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, **kwargs: Any
    ) -> None:
        if username and account_retry_after(username, timezone.now()) > NO_WAIT:
            raise PermissionDenied
        return None


def locked_out_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """axes's answer once a failure reaches the address limit."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        body = {"code": "locked_out", "message": LOCKED_OUT_MESSAGE, "errors": []}
        response = JsonResponse(body, status=429)
    else:
        response = render(request, "accounts/locked_out.html", status=429)
    wait = retry_after(request, attempted_email(request, credentials))
    response["Retry-After"] = str(whole_seconds(wait))
    return response
