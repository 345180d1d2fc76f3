"""A deal's team (D2, D5): "Add team", and later each member's "Edit" and "Remove"."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openprm.accounts.http import AuthenticatedRequest
from openprm.referrals.pages import form_page, referral_for_action, user_of
from openprm.referrals.team.forms import TeamAddForm, TeamMemberEditForm, TeamMemberRemoveForm
from openprm.referrals.team.selectors import team_member_get
from openprm.referrals.team.services import (
    referral_team_add,
    referral_team_member_remove,
    referral_team_member_update,
)


@login_required
@require_http_methods(["GET", "POST"])
def team_add(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
    """D5 "Add team": someone else working the deal, with name, phone and email."""
    referral = referral_for_action(request, referral_id, "team")
    form = TeamAddForm(request.POST or None)
    return form_page(
        request,
        referral,
        form,
        lambda data: referral_team_add(
            referral=referral, actor=user_of(request), members=form.members()
        ),
        template="referrals/team_add.html",
        success=_("Team member added."),
        aliases=form.service_fields(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: AuthenticatedRequest, referral_id: int, member_id: int) -> HttpResponse:
    """D2: a member's name, phone and email; "Owner" makes them the deal's owner."""
    referral = referral_for_action(request, referral_id, "team")
    member = team_member_get(referral=referral, member_id=member_id)
    initial = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "phone": member.phone,
        "email": member.email,
        "owner": member.is_owner,
        "version": referral.version,
    }
    form = TeamMemberEditForm(request.POST or None, initial=initial, is_owner=member.is_owner)
    return form_page(
        request,
        referral,
        form,
        lambda data: referral_team_member_update(
            referral=referral,
            actor=user_of(request),
            member_id=member.pk,
            expected_version=data["version"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data["phone"],
            email=data["email"],
            owner=data["owner"] or None,
        ),
        template="referrals/team_edit.html",
        success=_("Team member saved."),
        extra={"member": member},
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_remove(request: AuthenticatedRequest, referral_id: int, member_id: int) -> HttpResponse:
    """D2: a member leaves the team; the owner's page names who owns the deal next."""
    referral = referral_for_action(request, referral_id, "team")
    member = team_member_get(referral=referral, member_id=member_id)
    others = [m for m in referral.team_members.all() if m.pk != member.pk]
    form = TeamMemberRemoveForm(
        request.POST or None,
        initial={"version": referral.version},
        others=others,
        is_owner=member.is_owner,
    )
    return form_page(
        request,
        referral,
        form,
        lambda data: referral_team_member_remove(
            referral=referral,
            actor=user_of(request),
            member_id=member.pk,
            new_owner_id=data.get("new_owner_id") or None,
            expected_version=data["version"],
        ),
        template="referrals/team_remove.html",
        success=_("Team member removed."),
        extra={"member": member},
    )
