from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openprm.core.navigation import navigation_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The first page of the user's navigation: partners land on their dashboard."""
    entries = navigation_for(request.user, request.path)
    if entries:
        return redirect(entries[0]["url"])
    return render(request, "home.html")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)
