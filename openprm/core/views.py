from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from openprm.core.api import error_body
from openprm.core.health import database_answers
from openprm.core.navigation import navigation_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The first page of the user's navigation: partners land on their dashboard."""
    entries = navigation_for(request.user, request.path)
    if entries:
        return redirect(entries[0]["url"])
    return render(request, "home.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """An API address that names no operation (`/api/v1/deals/abc`) answers in the API's own
    error format: a client reads JSON there, never the HTML page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return render(request, "404.html", status=404)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors, without signing in: 200 when this process can serve a
    request through the whole middleware stack and read the database, 503 when it cannot."""
    if database_answers():
        return JsonResponse({"status": "ok"})
    return JsonResponse({"status": "database unavailable"}, status=503)
