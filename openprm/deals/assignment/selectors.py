"""Who of a partner gets its lead notifications (C8): the chosen recipients, or its admins."""

from openprm.accounts.models import Membership, Organization, User
from openprm.accounts.roles import Role
from openprm.deals.models import PartnerLeadRecipient


def lead_recipients(organization: Organization) -> list[User]:
    """The partner's chosen lead notification recipients (C8), or its admins when none."""
    chosen = [
        row.user
        for row in PartnerLeadRecipient.objects.filter(
            organization=organization, user__is_active=True
        ).select_related("user")
    ]
    if chosen:
        return chosen
    admins = Membership.objects.filter(
        organization=organization, role=Role.PARTNER_ADMIN, user__is_active=True
    ).select_related("user")
    return [membership.user for membership in admins]


def lead_recipient_candidates(organization: Organization):
    return User.objects.filter(
        is_active=True, pk__in=Membership.objects.filter(organization=organization).values("user")
    ).order_by("full_name", "email")
