"""Holds a signed-in user who must enrol on the enrolment page until they have."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

ENROL_SESSION_KEY = "two_factor_enrol_required"


def allowed_paths() -> set[str]:
    return {
        reverse("accounts:two_factor_setup"),
        reverse("logout"),
        reverse("accounts:set_language"),
    }


class EnrolmentRequiredMiddleware:
    """Set at sign-in when the organization requires two-factor sign-in and the user has no
    authenticator yet; the session is then good for enrolling, signing out and the language
    switch. API calls with a token carry no session and are not held."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is None or not session.get(ENROL_SESSION_KEY):
            return self.get_response(request)
        if request.path in allowed_paths() or request.path.startswith("/static/"):
            return self.get_response(request)
        if request.path.startswith("/api/") and "Authorization" not in request.headers:
            body = {
                "code": "two_factor_enrolment_required",
                "message": "Set up two-factor sign-in first.",
                "errors": [],
            }
            return JsonResponse(body, status=403)
        if request.path.startswith("/api/"):
            return self.get_response(request)
        return redirect("accounts:two_factor_setup")
