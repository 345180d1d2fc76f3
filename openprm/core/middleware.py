"""Request-wide concerns: the application's errors as pages, so a view never needs its own
try/except, and what the access log may show of a request."""

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from openprm.core.api import is_sqlite_integer_overflow
from openprm.core.client_address import client_address
from openprm.core.errors import AppError, NotFound

# WSGI environ key the access log reads (see `openprm serve`); the client's is ENVIRON_KEY.
LOGGED_PATH_KEY = "OPENPRM_LOGGED_PATH"
# URL parts that are credentials: an invitation's secret, a password-reset token.
SECRET_URL_KWARGS = ("secret", "token")


class AppErrorPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, AppError):
            template = "404.html" if exception.status == 404 else "error.html"
            return render(request, template, {"error": exception}, status=exception.status)
        if isinstance(exception, OverflowError) and is_sqlite_integer_overflow(exception):
            return render(request, "404.html", {"error": NotFound()}, status=404)
        if isinstance(exception, OperationalError) and "locked" in str(exception):
            busy = AppError(gettext("The database is busy; please try again."), code="busy")
            return render(request, "error.html", {"error": busy}, status=409)
        return None


def logged_path(request: HttpRequest) -> str:
    path = request.get_full_path()
    match = request.resolver_match
    for name in SECRET_URL_KWARGS:
        value = match.kwargs.get(name) if match else None
        if value:
            path = path.replace(str(value), "[secret]")
    return path


class AccessLogMiddleware:
    """Leaves the client's address and the path, with any secret in it masked, in the WSGI
    environ, where `openprm serve`'s access log reads them: behind a proxy the connection's
    address is the proxy's, and an invitation or password-reset link is a credential."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        client_address(request)
        response = self.get_response(request)
        request.META[LOGGED_PATH_KEY] = logged_path(request)
        return response
