"""Members of a deactivated organization cannot sign in; their records stay as they were."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from openprm.accounts.lockout import normalized
from openprm.accounts.models import Membership


def in_deactivated_organization(email: str) -> bool:
    return Membership.objects.filter(
        user__email=normalized(email), organization__is_active=False
    ).exists()


class ActiveOrganizationBackend:
    """Refuses a member of a deactivated organization before any backend checks the password,
    so the sign-in page, the token exchange and the Django admin answer as for a wrong password.

    Not a BaseBackend: it has no users to load, so a session or force_login never names it."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, **kwargs: Any
    ) -> None:
        if username and in_deactivated_organization(username):
            raise PermissionDenied
        return None
