"""Turn the application's errors into pages, so a view never needs its own try/except."""

from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from openprm.core.api import is_sqlite_integer_overflow
from openprm.core.errors import AppError, NotFound


class AppErrorPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
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
