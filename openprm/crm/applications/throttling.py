"""How often one client address may apply: each application lands in the program admin's
queue, so the allowance (OPENPRM_PARTNER_APPLICATION_RATE) is far below the API's anonymous one.
The page and the API share it."""

from django.http import HttpRequest

from openprm.core.client_address import client_address
from openprm.core.throttling import SettingRateThrottle


class ApplicationRateThrottle(SettingRateThrottle):
    scope = "partner_application"
    setting = "OPENPRM_PARTNER_APPLICATION_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}
