""" "Send referral" (D1): a vendor sales rep or a partner sends one to a partner's location."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.errors import AppError, NotFound
from openprm.core.money import to_minor
from openprm.crm import selectors as crm_selectors
from openprm.referrals import selectors
from openprm.referrals.checks import Contact
from openprm.referrals.pages import add_errors, suggestions_context, user_of
from openprm.referrals.sending.forms import SendReferralForm
from openprm.referrals.sending.services import referral_send


@login_required
@require_http_methods(["GET", "POST"])
def send(request: AuthenticatedRequest) -> HttpResponse:
    """ "Send referral": a vendor sales rep or a partner sends one to a partner's location."""
    user = user_of(request)
    if not selectors.can_send(user):
        raise NotFound()
    locations = selectors.receiving_locations(user=user)
    customers = crm_selectors.customer_search(user=user)
    searching = "search" in request.POST
    form = SendReferralForm(
        None if searching else request.POST or None,
        initial=request.POST.dict() if searching else None,
        locations=locations,
        customers=customers,
        vendor=user.is_vendor_staff,
    )
    if request.method == "POST" and not searching and form.is_valid():
        data = form.cleaned_data
        location = data["receiving_location"]
        currency = data["currency"]
        try:
            referral = referral_send(
                actor=user,
                partner=location.organization,
                location=location,
                customer=data["customer"],
                name=data["name"],
                amount_minor=to_minor(data["value"], currency.code, field="value"),
                currency=currency,
                notes=data["notes"],
                contact=Contact(data["contact_name"], data["contact_phone"], data["contact_email"]),
                consent=data["consent"],
                estimated_close_date=data["estimated_close_date"],
                vendor_crm_id=data.get("vendor_crm_id", ""),
            )
        except ValidationError as exc:
            add_errors(
                form, exc, {"partner": "receiving_location", "location": "receiving_location"}
            )
        except AppError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Referral sent."))
            return redirect("referrals:detail", referral_id=referral.pk)
    context = {"form": form, **suggestions_context(user, request.POST)}
    return render(request, "referrals/send.html", context)
