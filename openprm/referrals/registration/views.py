"""Registering a won deal (D8): the registration goes to the reviewers' queue."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.money import from_minor, to_minor
from openprm.referrals.pages import form_page, referral_for_action, user_of
from openprm.referrals.registration.forms import RegistrationForm
from openprm.referrals.registration.services import referral_register


@login_required
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
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
