"""Reads for accounts, always scoped to the requester."""

from django.db.models import QuerySet

from openprm.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    User,
    hash_secret,
)
from openprm.accounts.services import can_manage_users
from openprm.core.errors import NotFound


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def api_token_get(*, user: User, token_id: int) -> ApiToken:
    token = api_tokens_for_user(user=user).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    return token


def managed_organization(*, user: User) -> Organization:
    """The organization whose users the requester manages; anyone who cannot manage users gets
    a 404, so to them the management pages and endpoints look like missing ones."""
    organization = user.organization
    if organization is None or not can_manage_users(user):
        raise NotFound()
    return organization


def members_for_manager(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=managed_organization(user=user))
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )


def member_get(*, user: User, user_id: int) -> Membership:
    membership = members_for_manager(user=user).filter(user_id=user_id).first()
    if membership is None:
        raise NotFound()
    return membership


def open_invitations_for_manager(*, user: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organization=managed_organization(user=user),
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).select_related("invited_by")


def invitation_for_secret(*, secret: str) -> Invitation:
    """The link in the email is the credential: used, replaced or expired links are 404."""
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(token_hash=hash_secret(secret))
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise NotFound()
    return invitation
