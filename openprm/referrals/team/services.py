"""A referral's team (D2 step 4, D5): who works the deal, each with name, phone and email,
linked to a user of the partner by email. Whoever creates or accepts a deal joins it.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from openprm.accounts.models import Membership, User
from openprm.core.checks import FieldErrors, valid_email
from openprm.core.errors import NotFound, field_error
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


def partner_users(referral: Referral, emails: list[str]) -> dict[str, User]:
    """The partner's active users with these emails: a team member is linked to them (D3)."""
    return {
        u.email: u
        for u in User.objects.filter(
            email__in=emails,
            is_active=True,
            pk__in=Membership.objects.filter(organization=referral.organization).values("user"),
        )
    }


def add_team(referral: Referral, members: list[dict[str, str]]) -> list[ReferralTeamMember]:
    """New members only (an email already on the team is skipped); users linked by email."""
    existing = set(referral.team_members.values_list("email", flat=True))
    users = partner_users(referral, [m["email"] for m in members if m["email"] not in existing])
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
    """D3: whoever accepts or creates a referral joins its team, as its owner when it has none."""
    member = referral.team_members.filter(Q(user=user) | Q(email=user.email)).first()
    if member is None:
        first, _space, last = (user.full_name or user.email).partition(" ")
        member = ReferralTeamMember(
            referral=referral, first_name=first, last_name=last, email=user.email
        )
    member.user = user
    member.is_owner = member.is_owner or not referral.team_members.filter(is_owner=True).exists()
    member.save()


@transaction.atomic
def referral_team_add(
    *,
    referral: Referral,
    actor: User,
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


def locked_member(referral: Referral, member_id: int) -> ReferralTeamMember:
    """A member of this referral's team, locked; any other id is missing."""
    member = referral.team_members.select_for_update().filter(pk=member_id).first()
    if member is None:
        raise NotFound()
    return member


def checked_member(member: ReferralTeamMember, fields: dict[str, Any]) -> dict[str, str]:
    """The member's details with `fields` changed, complete as D2 step 4 asks, and an email no
    other member of the team has. Errors name the field itself (phone, not team.0.phone)."""
    unknown = sorted(set(fields) - set(TEAM_FIELDS))
    if unknown:
        raise field_error(unknown[0], _("This field cannot be set."), "unknown_field")
    row = {field: fields.get(field, getattr(member, field)) for field in TEAM_FIELDS}
    try:
        [cleaned] = checked_team([row], required=True)
    except ValidationError as exc:
        raise ValidationError(
            {name.removeprefix("team.0."): errors for name, errors in exc.error_dict.items()}
        ) from None
    others = member.referral.team_members.exclude(pk=member.pk)
    if others.filter(email=cleaned["email"]).exists():
        raise field_error("email", _("This email is already on the team."), "duplicate")
    return cleaned


def make_owner(member: ReferralTeamMember) -> None:
    """The member becomes the team's one owner; the one before is an owner no more."""
    member.referral.team_members.exclude(pk=member.pk).filter(is_owner=True).update(is_owner=False)
    member.is_owner = True
    member.save(update_fields=["is_owner", "updated_at"])


@transaction.atomic
def referral_team_member_update(
    *,
    referral: Referral,
    actor: User,
    member_id: int,
    owner: bool | None = None,
    expected_version: int | None = None,
    **fields: str,
) -> Referral:
    """D2 "editable later": a member's name, phone and email, or making them the owner. The
    owner stops being one only by naming another (`owner` on that member)."""
    require_worker(actor, referral)

    def change(locked: Referral) -> str:
        member = locked_member(locked, member_id)
        if owner is False and member.is_owner:
            message = _("Make another team member the owner instead.")
            raise field_error("owner", message, "owner_required")
        cleaned = checked_member(member, fields)
        for field, value in cleaned.items():
            setattr(member, field, value)
        member.user = partner_users(locked, [member.email]).get(member.email)
        member.save()
        note = _("Team member changed: %(name)s.") % {"name": member.full_name}
        if owner and not member.is_owner:
            make_owner(member)
            note += " " + _("%(name)s is now the owner.") % {"name": member.full_name}
        return note

    data = {"member": member_id, "fields": sorted(fields), "owner": owner}
    move = perform(
        referral=referral,
        action="team",
        actor=actor,
        expected_version=expected_version,
        change=change,
        data=data,
    )
    return move.referral


def next_owner(
    members: list[ReferralTeamMember], leaving: ReferralTeamMember, new_owner_id: int | None
) -> ReferralTeamMember | None:
    """Who owns the deal once `leaving` goes: the member named, which the owner must do."""
    if new_owner_id is None:
        if leaving.is_owner:
            message = _("Name another team member as the owner before removing the owner.")
            raise field_error("new_owner_id", message, "required")
        return None
    named = next((m for m in members if m.pk == new_owner_id and m.pk != leaving.pk), None)
    if named is None:
        raise field_error("new_owner_id", _("Choose another member of this team."), "invalid")
    return named


@transaction.atomic
def referral_team_member_remove(
    *,
    referral: Referral,
    actor: User,
    member_id: int,
    new_owner_id: int | None = None,
    expected_version: int | None = None,
) -> Referral:
    """D2: a member leaves the team. The last one cannot (a deal keeps at least one member),
    and the owner only with another named as owner (`new_owner_id`)."""
    require_worker(actor, referral)

    def change(locked: Referral) -> str:
        leaving = locked_member(locked, member_id)
        members = list(locked.team_members.select_for_update())
        if len(members) == 1:
            message = _("%(name)s is the last team member; add another before removing them.")
            raise field_error("team", message % {"name": leaving.full_name}, "last_member")
        owner = next_owner(members, leaving, new_owner_id)
        leaving.delete()
        note = _("Team member removed: %(name)s.") % {"name": leaving.full_name}
        if owner is not None and not owner.is_owner:
            make_owner(owner)
            note += " " + _("%(name)s is now the owner.") % {"name": owner.full_name}
        return note

    move = perform(
        referral=referral,
        action="team",
        actor=actor,
        expected_version=expected_version,
        change=change,
        data={"removed": member_id, "new_owner": new_owner_id},
    )
    return move.referral
