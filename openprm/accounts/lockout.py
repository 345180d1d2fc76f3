"""django-axes hooks: who a sign-in attempt is for, and the answer once locked out."""

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_OUT_MESSAGE = "Too many failed sign-in attempts; try again later."


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The same key for the sign-in page and the API token exchange: the lower-cased email."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username).strip().lower()


def locked_out_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"code": "locked_out", "message": LOCKED_OUT_MESSAGE, "errors": []}
        return JsonResponse(body, status=429)
    return render(request, "accounts/locked_out.html", status=429)


def is_locked_out(request: HttpRequest, email: str) -> bool:
    """Checked before the password, so a locked-out email stays locked even with the right one."""
    return not AxesProxyHandler.is_allowed(request, {"username": email.strip().lower()})
