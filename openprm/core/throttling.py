"""API rate limits in Django's cache: one allowance per signed-in user, whichever of their tokens
or their browser session they use, and one per client address for everyone else.

The rates are read on every request (OPENPRM_API_RATE_USER, OPENPRM_API_RATE_ANONYMOUS), so a
changed setting needs no restart of the throttle objects ninja keeps."""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from openprm.core.client_address import client_address


class SettingRateThrottle(SimpleRateThrottle):
    setting: str

    def __init__(self) -> None:
        super().__init__(rate=getattr(settings, self.setting))

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class UserRateThrottle(SettingRateThrottle):
    scope = "user"
    setting = "OPENPRM_API_RATE_USER"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "auth", None)
        if user is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.pk}


class AnonymousRateThrottle(SettingRateThrottle):
    """Public operations (the token exchange) and requests whose credentials fail."""

    scope = "anonymous"
    setting = "OPENPRM_API_RATE_ANONYMOUS"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
