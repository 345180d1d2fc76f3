"""Who hears of a referral's moves: the receiving partner's people when one arrives (D3), its
sender when it is answered or expires (D4). Sent after the transaction commits.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from openprm.accounts.models import Membership, User
from openprm.accounts.roles import Role
from openprm.notifications.kinds import REFERRAL_ANSWERED, REFERRAL_RECEIVED
from openprm.notifications.services import notify
from openprm.referrals.models import Referral, ReferralTransition


def receivers_of(referral: Referral) -> list[User]:
    """Who sees a received referral (D3): admins, global-scope users, users whose scope
    covers its location."""
    memberships = Membership.objects.filter(
        organization_id=referral.organization_id,
        role__in=(Role.PARTNER_ADMIN, Role.PARTNER_USER),
        user__is_active=True,
    ).select_related("user")
    country = referral.location.country
    return [
        m.user
        for m in memberships
        if m.role == Role.PARTNER_ADMIN or m.global_scope or country in (m.countries or [])
    ]


def notify_received(referral: Referral, transition: ReferralTransition) -> None:
    title = _("New referral: %(name)s") % {"name": referral.opportunity.name}
    for user in receivers_of(referral):
        notify(
            recipient=user,
            kind=REFERRAL_RECEIVED,
            cause=f"referral-transition:{transition.pk}",
            title=title,
            body=referral.notes,
            link=referral_link(referral),
        )


def notify_sender(referral: Referral, transition: ReferralTransition, title: str) -> None:
    recipients: list[User] = []
    if referral.sent_by is not None and referral.sent_by.is_active:
        recipients = [referral.sent_by]
    elif referral.sender_organization_id is not None:
        recipients = [
            m.user
            for m in Membership.objects.filter(
                organization_id=referral.sender_organization_id,
                role__in=(Role.PARTNER_ADMIN, Role.PROGRAM_ADMIN),
                user__is_active=True,
            ).select_related("user")
        ]
    for user in recipients:
        notify(
            recipient=user,
            kind=REFERRAL_ANSWERED,
            cause=f"referral-transition:{transition.pk}",
            title=title,
            body=transition.note,
            link=referral_link(referral),
        )


def referral_link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])
