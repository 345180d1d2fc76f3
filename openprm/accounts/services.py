"""Writes for accounts: sign-in for API tokens, token lifecycle."""

from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openprm.accounts.lockout import LOCKED_OUT_MESSAGE, is_locked_out
from openprm.accounts.models import ApiToken, User, hash_secret
from openprm.core.errors import AppError
from openprm.core.events import record_event

INVALID_CREDENTIALS = "Invalid email or password."


class LockedOut(AppError):
    status = 429
    code = "locked_out"


def user_authenticate(*, request: HttpRequest, email: str, password: str) -> User:
    """One answer for a wrong email and a wrong password; repeated failures lock out."""
    if is_locked_out(request, email):
        raise LockedOut(LOCKED_OUT_MESSAGE)
    user = authenticate(request, username=email.strip().lower(), password=password)
    if user is None or not isinstance(user, User) or user.membership is None:
        raise AppError(INVALID_CREDENTIALS, code="invalid_credentials")
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its secret; only the hash is stored, so the secret shows once."""
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user, name=name, key_prefix=secret[:12], key_hash=hash_secret(secret)
    )
    record_event(kind="api_token.created", obj=token, actor=user, organization=user.organization)
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record_event(
            kind="api_token.revoked", obj=token, actor=actor, organization=actor.organization
        )
    return token
