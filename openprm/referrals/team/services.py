"""A referral's team (D2 step 4, D5): who works the deal, each with name, phone and email,
linked to a user of the partner by email. Whoever creates or accepts a deal joins it.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from openprm.accounts.models import Membership, User
from openprm.core.checks import FieldErrors, valid_email
from openprm.referrals.lifecycle.moves import perform, require_worker
from openprm.referrals.models import TEAM_FIELDS, Referral, ReferralTeamMember


def checked_team(members: list[dict[str, str]], *, required: bool) -> list[dict[str, str]]:
    """D2 step 4: every member given is complete (name, phone, email); at least one if
    `required`. Errors name the member: team.0.phone."""
    cleaned: list[dict[str, str]] = []
    errors = FieldErrors()
    for index, member in enumerate(members or []):
        unknown = sorted(set(member) - set(TEAM_FIELDS))
        if unknown:
            errors.add(
                f"team.{index}.{unknown[0]}", _("This field cannot be set."), "unknown_field"
            )
            continue
        row = {field: (member.get(field) or "").strip() for field in TEAM_FIELDS}
        row["email"] = row["email"].lower()
        for field in TEAM_FIELDS:
            if not row[field]:
                errors.add(f"team.{index}.{field}", _("This field is required."), "required")
        if row["email"]:
            errors.check(valid_email, f"team.{index}.email", row["email"])
        cleaned.append(row)
    if required and not members:
        errors.add(
            "team", _("Add at least one team member with name, phone and email."), "required"
        )
    emails = [row["email"] for row in cleaned if row["email"]]
    if len(emails) != len(set(emails)):
        errors.add("team", _("A team member is listed twice."), "duplicate")
    errors.raise_any()
    return cleaned


def add_team(referral: Referral, members: list[dict[str, str]]) -> list[ReferralTeamMember]:
    """New members only (an email already on the team is skipped); users linked by email."""
    existing = set(referral.team_members.values_list("email", flat=True))
    emails = [m["email"] for m in members if m["email"] not in existing]
    users = {
        u.email: u
        for u in User.objects.filter(
            email__in=emails,
            is_active=True,
            pk__in=Membership.objects.filter(organization=referral.organization).values("user"),
        )
    }
    added = []
    for member in members:
        if member["email"] in existing:
            continue
        existing.add(member["email"])
        added.append(
            ReferralTeamMember.objects.create(
                referral=referral, user=users.get(member["email"]), **member
            )
        )
    return added


def join_team(referral: Referral, user: User) -> None:
    """D3: whoever accepts or creates a referral joins its team."""
    if referral.team_members.filter(Q(user=user) | Q(email=user.email)).exists():
        referral.team_members.filter(email=user.email, user__isnull=True).update(user=user)
        return
    first, _space, last = (user.full_name or user.email).partition(" ")
    ReferralTeamMember.objects.create(
        referral=referral, first_name=first, last_name=last, email=user.email, user=user
    )


@transaction.atomic
def referral_team_add(
    *,
    referral: Referral,
    actor: Any,
    members: list[dict[str, str]],
    expected_version: int | None = None,
) -> Referral:
    """D5 "Add team": complete members only; an email already on the team is kept once."""
    require_worker(actor, referral)
    cleaned = checked_team(members, required=True)

    def add(locked: Referral) -> str:
        add_team(locked, cleaned)
        return ""

    move = perform(
        referral=referral,
        action="team",
        actor=actor,
        expected_version=expected_version,
        change=add,
        data={"emails": [m["email"] for m in cleaned]},
    )
    return move.referral
