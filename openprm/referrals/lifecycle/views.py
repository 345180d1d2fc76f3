"""The pages of a referral's moves: "Accept" and "Decline" a received one (D4), "Edit" an
accepted one (D5), close it as won or lost (D7). Each is offered only when the referral's state
and the user allow it (otherwise 404) and runs one lifecycle service, whose field errors land on
the form.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.money import from_minor, to_minor
from openprm.crm.models import OpportunityState
from openprm.referrals.lifecycle.forms import (
    AcceptForm,
    CloseLostForm,
    CloseWonForm,
    DeclineForm,
    EditForm,
)
from openprm.referrals.lifecycle.services import (
    referral_accept,
    referral_close,
    referral_decline,
    referral_update,
)
from openprm.referrals.models import Referral
from openprm.referrals.pages import (
    form_page,
    referral_for_action,
    report_errors,
    run_action,
    user_of,
)
from openprm.referrals.team.forms import TeamAddForm


@login_required
@require_http_methods(["GET", "POST"])
def accept(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
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
            team=team.members(),
            expected_version=data["version"],
        ),
        template="referrals/accept.html",
        success=_("Referral accepted."),
        aliases=team.service_fields(),
        extra={"team": team},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decline(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
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
def edit(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
    """D5 "Edit": name, estimated close date, value, notes, CRM ID, campaign ID."""
    referral = referral_for_action(request, referral_id, "update")
    opportunity = referral.opportunity
    initial = {
        "name": opportunity.name,
        "estimated_close_date": referral.estimated_close_date,
        "value": from_minor(opportunity.amount_minor, opportunity.currency_id),
        "notes": referral.notes,
        "crm_id": referral.crm_id,
        "vendor_crm_id": referral.vendor_crm_id,
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
            vendor_crm_id=data["vendor_crm_id"],
            campaign_id=data["campaign_id"],
        ),
        template="referrals/edit.html",
        success=_("Deal saved."),
    )


@login_required
@require_POST
def close_won(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
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
def close_lost(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
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
