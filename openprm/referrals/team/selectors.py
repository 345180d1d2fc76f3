"""The people who worked a partner's earlier deals, offered when a new deal's team is made."""

from openprm.accounts.models import User
from openprm.core.errors import NotFound
from openprm.referrals.models import TEAM_FIELDS, Referral, ReferralTeamMember


def recent_team_contacts(*, user: User, limit: int = 10) -> list[dict[str, str]]:
    """D2 step 4: people on the partner's earlier deals, newest first, each once."""
    organization = user.organization
    if organization is None or not user.is_partner:
        return []
    members = ReferralTeamMember.objects.filter(
        referral__in=Referral.objects.for_user(user).filter(organization=organization)
    ).order_by("-created_at", "-id")
    seen: dict[str, dict[str, str]] = {}
    for member in members.values(*TEAM_FIELDS)[: limit * 5]:
        if member["email"] not in seen and member["phone"]:
            seen[member["email"]] = {field: str(member[field]) for field in TEAM_FIELDS}
        if len(seen) >= limit:
            break
    return list(seen.values())


def team_member_get(*, referral: Referral, member_id: int) -> ReferralTeamMember:
    """A member of the team of `referral`, which the caller got through a selector for the
    user; a member of any other team is missing."""
    member = referral.team_members.filter(pk=member_id).first()
    if member is None:
        raise NotFound()
    return member
