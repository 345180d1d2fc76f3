"""The assignment rules of new shared deals (C2), and who of a partner gets its lead
notifications (C8): the chosen recipients, or its admins."""

from django.db.models import QuerySet

from openprm.accounts.models import Membership, Organization, User
from openprm.accounts.roles import Role
from openprm.core.errors import NotFound
from openprm.core.program_settings import require_program_admin
from openprm.deals.models import AssignmentRule, PartnerLeadRecipient


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


def lead_recipient_candidates(organization: Organization) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, pk__in=Membership.objects.filter(organization=organization).values("user")
    ).order_by("full_name", "email")


def lead_recipients_for_admin(*, user: User) -> list[User]:
    """C8: who gets the partner admin's organization's lead notifications; a 404 for others."""
    if not user.is_partner_admin or user.organization is None:
        raise NotFound()
    return lead_recipients(user.organization)


def assignment_rules(*, user: User) -> QuerySet[AssignmentRule]:
    """C2: the rules in the order they are tried, for the program admin (a 403 for others)."""
    require_program_admin(user)
    return AssignmentRule.objects.select_related("product").prefetch_related("reps")


def assignment_rule_get(*, user: User, rule_id: int) -> AssignmentRule:
    rule = assignment_rules(user=user).filter(pk=rule_id).first()
    if rule is None:
        raise NotFound()
    return rule
