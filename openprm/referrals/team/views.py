""" "Add team" (D5): someone else working the deal, with name, phone and email."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openprm.referrals.pages import form_page, referral_for_action, user_of
from openprm.referrals.team.forms import TeamAddForm
from openprm.referrals.team.services import referral_team_add


@login_required
@require_http_methods(["GET", "POST"])
def team_add(request: HttpRequest, referral_id: int) -> HttpResponse:
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
