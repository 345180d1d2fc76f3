"""Sign out members of a deactivated organization; activate the signed-in user's own language
and timezone for every request."""

import zoneinfo
from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class ActiveOrganizationMiddleware:
    """A session opened before the organization was deactivated ends at its next request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            organization = user.organization
            if organization is not None and not organization.is_active:
                logout(request)
        return self.get_response(request)


class UserPreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language_before = translation.get_language()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        try:
            return self.get_response(request)
        finally:
            # The thread serves other users next: never let one user's choices leak to them.
            timezone.deactivate()
            if language_before:
                translation.activate(language_before)
