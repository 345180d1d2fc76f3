"""API authentication: personal bearer tokens, or the browser session (with CSRF)."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from ninja.security import HttpBearer, SessionAuth

from openprm.accounts.models import ApiToken, User, hash_secret

LAST_USED_RESOLUTION_SECONDS = 60


class MemberRequest(HttpRequest):
    """What an authenticated API handler receives: a user with a membership."""

    user: User


def usable(user: Any) -> bool:
    """An active user in an active organization: a deactivated partner's tokens stop too."""
    return bool(
        user
        and user.is_active
        and user.membership is not None
        and user.membership.organization.is_active
    )


class BearerToken(HttpBearer):
    @sensitive_variables()
    def __call__(self, request: HttpRequest) -> Any:
        """Instead of ninja's, which logs the whole Authorization header under DEBUG when its
        scheme is not Bearer; error reports show no variable of these frames."""
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = (
            ApiToken.objects.active().select_related("user").filter(key_hash=hash_secret(token))
        ).first()
        if api_token is None or not usable(api_token.user):
            return None
        now = timezone.now()
        stale = api_token.last_used_at is None or (
            (now - api_token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
        )
        if stale:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


class MemberSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if "Authorization" in request.headers:
            # A client that names a token means that token: a revoked one must not fall back.
            return None
        user = super().authenticate(request, key)
        return user if usable(user) else None


API_AUTH = [BearerToken(), MemberSession()]
