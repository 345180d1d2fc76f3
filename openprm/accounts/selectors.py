"""Reads for accounts, always scoped to the requester."""

from django.db.models import QuerySet

from openprm.accounts.models import ApiToken, User
from openprm.core.errors import NotFound


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def api_token_get(*, user: User, token_id: int) -> ApiToken:
    token = api_tokens_for_user(user=user).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    return token
