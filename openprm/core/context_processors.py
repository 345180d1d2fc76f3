from django.conf import settings
from django.http import HttpRequest

from openprm.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "navigation": navigation_for(user, request.path) if user else [],
        "account_menu": navigation_for(user, request.path, place="account") if user else [],
        "LANGUAGE_CHOICES": settings.LANGUAGES,
    }
