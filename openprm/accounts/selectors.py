"""Reads for accounts, always scoped to the requester."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from openprm.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organization,
    User,
    hash_secret,
)
from openprm.accounts.services import can_manage_users, ensure_usable
from openprm.core.errors import Forbidden, NotFound


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


def invitation_for_secret(*, secret: str, user: User | AnonymousUser | None = None) -> Invitation:
    """The link in the email is the credential: an unknown one is 404, a used, replaced or
    expired one (410) says which. Someone signed in as another person is refused, so a link
    forwarded to a colleague's open browser never joins them twice."""
    invitation = ensure_usable(
        Invitation.objects.select_related("organization")
        .filter(token_hash=hash_secret(secret))
        .first()
    )
    if user is not None and user.is_authenticated and user.email != invitation.email:
        raise Forbidden(
            _("You are signed in as %(user)s, but this invitation is for %(invitee)s. Sign out, "
              "then open the link again.") % {"user": user.email, "invitee": invitation.email},
            code="invitation_other_user",
        )  # fmt: skip
    return invitation


def open_invitations(*, user: User) -> QuerySet[Invitation]:
    """The open invitations the requester answers for: the program admin's cover every
    organization (a partner's first admin is invited by them), a partner admin's their own."""
    invitations = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("organization")
    if user.is_active and user.is_program_admin:
        return invitations.order_by("-created_at", "-id")
    return invitations.filter(organization=managed_organization(user=user)).order_by(
        "-created_at", "-id"
    )
