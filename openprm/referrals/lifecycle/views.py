"""The actions on one referral (D4 to D8): "Accept" and "Decline" a received one; "Edit",
"Add team", stage marks and closing as won or lost for an accepted one; the registration of a
won one. Each offers only what the referral's state and the user allow (otherwise 404), and
runs one referrals service, whose field errors land on the form.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from openprm.core.errors import NotFound
from openprm.core.money import from_minor, to_minor
from openprm.crm.models import OpportunityState
from openprm.referrals import selectors
from openprm.referrals.forms import (
    AcceptForm,
    CloseLostForm,
    CloseWonForm,
    DeclineForm,
    EditForm,
    RegistrationForm,
    StageMarkForm,
    TeamAddForm,
)
from openprm.referrals.lifecycle.services import (
    referral_accept,
    referral_close,
    referral_decline,
    referral_update,
)
from openprm.referrals.models import Referral
from openprm.referrals.registration.services import referral_register
from openprm.referrals.stages.services import referral_mark_stage
from openprm.referrals.team.services import referral_team_add
from openprm.referrals.views import markable_stages, run_action, user_of


def referral_for_action(request: HttpRequest, referral_id: int, action: str) -> Referral:
    """The referral, when the user may take `action` on it now; otherwise it is not there."""
    user = user_of(request)
    referral = selectors.referral_get(user=user, referral_id=referral_id)
    if action not in selectors.actions_for(referral=referral, user=user):
        raise NotFound()
    return referral


def form_page(
    request: HttpRequest,
    referral: Referral,
    form: Any,
    perform: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    success: str,
    aliases: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """An action's page: the form; a valid POST runs the service, then back to the referral."""
    extra = extra or {}
    posted = request.method == "POST" and form.is_valid()
    others_valid = all(f.is_valid() for f in extra.values() if hasattr(f, "is_valid"))
    if posted and others_valid and run_action(request, form, perform, aliases):
        messages.success(request, success)
        return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, template, {"referral": referral, "form": form, **extra})


def team_rows(cleaned: dict[str, Any]) -> list[dict[str, str]]:
    member = {k: (v or "").strip() for k, v in cleaned.items()}
    return [member] if any(member.values()) else []


@login_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, referral_id: int) -> HttpResponse:
    """D4 "Accept": name, value and purchase timeframe after review; notes required; CRM ID,
    campaign ID and a team member optional."""
    referral = referral_for_action(request, referral_id, "accept")
    opportunity = referral.opportunity
    initial = {
        "name": opportunity.name,
        "value": from_minor(opportunity.amount_minor, opportunity.currency_id),
        "purchase_timeframe": referral.purchase_timeframe,
    }
    form = AcceptForm(request.POST or None, initial={**initial, "version": referral.version})
    team = TeamAddForm(request.POST or None, prefix="team", optional=True)
    return form_page(
        request,
        referral,
        form,
        lambda data: referral_accept(
            referral=referral,
            actor=user_of(request),
            name=data["name"],
            amount_minor=to_minor(data["value"], opportunity.currency_id, field="value"),
            purchase_timeframe=data["purchase_timeframe"],
            notes=data["notes"],
            crm_id=data["crm_id"],
            campaign_id=data["campaign_id"],
            team=team_rows(team.cleaned_data),
            expected_version=data["version"],
        ),
        template="referrals/accept.html",
        success=_("Referral accepted."),
        aliases=team_aliases(team),
        extra={"team": team},
    )


def team_aliases(team: TeamAddForm) -> dict[str, str]:
    """team.0.phone is the one team row's phone; shown above the form, naming the field."""
    return {f"team.0.{name}": name for name in team.fields}


@login_required
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, referral_id: int) -> HttpResponse:
    """D4 "Decline": a reason from the list and a message; the sender is told."""
    referral = referral_for_action(request, referral_id, "decline")
    form = DeclineForm(request.POST or None, initial={"version": referral.version})
    return form_page(
        request,
        referral,
        form,
        lambda data: referral_decline(
            referral=referral,
            actor=user_of(request),
            reason=data["reason"],
            message=data["message"],
            expected_version=data["version"],
        ),
        template="referrals/decline.html",
        success=_("Referral declined; the sender is notified."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, referral_id: int) -> HttpResponse:
    """D5 "Edit": name, estimated close date, value, notes, CRM ID, campaign ID."""
    referral = referral_for_action(request, referral_id, "update")
    opportunity = referral.opportunity
    initial = {
        "name": opportunity.name,
        "estimated_close_date": referral.estimated_close_date,
        "value": from_minor(opportunity.amount_minor, opportunity.currency_id),
        "notes": referral.notes,
        "crm_id": referral.crm_id,
        "campaign_id": referral.campaign_id,
        "version": referral.version,
    }
    form = EditForm(request.POST or None, initial=initial)
    return form_page(
        request,
        referral,
        form,
        lambda data: referral_update(
            referral=referral,
            actor=user_of(request),
            expected_version=data["version"],
            name=data["name"],
            estimated_close_date=data["estimated_close_date"],
            amount_minor=to_minor(data["value"], opportunity.currency_id, field="value"),
            notes=data["notes"],
            crm_id=data["crm_id"],
            campaign_id=data["campaign_id"],
        ),
        template="referrals/edit.html",
        success=_("Deal saved."),
    )


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
            referral=referral, actor=user_of(request), members=team_rows(data)
        ),
        template="referrals/team_add.html",
        success=_("Team member added."),
        aliases=team_aliases(form),
    )


def report_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def mark_stage(request: HttpRequest, referral_id: int) -> HttpResponse:
    """D6: marks the chosen stage complete, and every stage below it."""
    referral = referral_for_action(request, referral_id, "stages")
    form = StageMarkForm(request.POST, stages=markable_stages(referral))
    if form.is_valid():

        def perform(data: dict[str, Any]) -> Referral:
            return referral_mark_stage(
                referral=referral, actor=user_of(request), stage=data["stage"]
            )

        if run_action(request, form, perform):
            messages.success(request, _("Stage marked complete."))
    report_errors(request, form)
    return redirect("referrals:detail", referral_id=referral.pk)


@login_required
@require_POST
def close_won(request: HttpRequest, referral_id: int) -> HttpResponse:
    """D7 "Won", with the MRR won; a solution assessment only once every stage is complete
    (the service refuses it otherwise, naming the missing stages)."""
    referral = referral_for_action(request, referral_id, "close")
    form = CloseWonForm(request.POST)
    if form.is_valid():
        currency = referral.opportunity.currency_id

        def perform(data: dict[str, Any]) -> Referral:
            return referral_close(
                referral=referral,
                actor=user_of(request),
                outcome=OpportunityState.WON,
                mrr_minor=to_minor(data["mrr"], currency, field="mrr"),
            )

        if run_action(request, form, perform, {"mrr_minor": "mrr"}):
            messages.success(request, _("Deal closed as won."))
    report_errors(request, form)
    return redirect("referrals:detail", referral_id=referral.pk)


@login_required
@require_http_methods(["GET", "POST"])
def close_lost(request: HttpRequest, referral_id: int) -> HttpResponse:
    """D7 "Lost", with a reason."""
    referral = referral_for_action(request, referral_id, "close")
    form = CloseLostForm(request.POST or None)
    return form_page(
        request,
        referral,
        form,
        lambda data: referral_close(
            referral=referral,
            actor=user_of(request),
            outcome=OpportunityState.LOST,
            lost_reason=data["reason"],
            note=data["note"],
        ),
        template="referrals/close_lost.html",
        success=_("Deal closed as lost."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, referral_id: int) -> HttpResponse:
    """D8: after Won, for an eligible solution, the registration goes to the reviewers' queue."""
    referral = referral_for_action(request, referral_id, "registration")
    opportunity = referral.opportunity
    initial = {
        "won_value": from_minor(opportunity.amount_minor, opportunity.currency_id),
        "closed_on": opportunity.closed_on,
    }
    form = RegistrationForm(request.POST or None, request.FILES or None, initial=initial)
    return form_page(
        request,
        referral,
        form,
        lambda data: referral_register(
            referral=referral,
            actor=user_of(request),
            won_value_minor=to_minor(data["won_value"], opportunity.currency_id, field="won_value"),
            closed_on=data["closed_on"],
            account_ids=data["account_ids"],
            proof=data["proof"],
        ),
        template="referrals/register.html",
        success=_("Registration sent for review."),
    )
