"""The program admin's partner pages: new partner, edit, locations, invite its first admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openprm.accounts import services as account_services
from openprm.accounts.api_auth import MemberRequest
from openprm.core.errors import Conflict
from openprm.core.forms import add_errors
from openprm.crm.partners import selectors, services
from openprm.crm.partners.forms import (
    LocationForm,
    PartnerAdminInvitationForm,
    PartnerCreateForm,
    PartnerForm,
)

# The services name a location's fields as the API does; the forms prefix them.
LOCATION_FIELDS = {"locations": "location_code", "code": "location_code"}


@login_required
def partner_create(request: MemberRequest) -> HttpResponse:
    choices = selectors.partner_choices(user=request.user)
    form = PartnerCreateForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(
                actor=request.user,
                data=form.partner(),
                locations=[form.location()],
                tier=form.cleaned_data["tier"],
            )
        except ValidationError as exc:
            add_errors(form, exc, LOCATION_FIELDS)
        else:
            messages.success(request, _("%s is created. Invite its first admin next.") % partner)
            return redirect("crm:partner-invite", partner_id=partner.pk)
    return render(request, "crm/partners/partner_form.html", {"form": form})


@login_required
def partner_edit(request: MemberRequest, partner_id: int) -> HttpResponse:
    partner = selectors.partner_for_admin(user=request.user, partner_id=partner_id)
    initial = {
        "name": partner.name,
        "country": str(partner.country),
        "market_country": str(partner.market or ""),
        "currency": partner.currency,
        "pdm_id": partner.pdm_id,
        "website": partner.website,
    }
    choices = selectors.partner_choices(user=request.user)
    form = PartnerForm(request.POST or None, initial=initial, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(actor=request.user, partner_id=partner_id, data=form.partner())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("%s is updated.") % form.cleaned_data["name"])
            return redirect("crm:partner-detail", partner_id=partner_id)
    context = {"form": form, "partner": partner}
    return render(request, "crm/partners/partner_form.html", context)


@login_required
@require_POST
def partner_deactivate(request: MemberRequest, partner_id: int) -> HttpResponse:
    partner = services.partner_set_active(actor=request.user, partner_id=partner_id, active=False)
    messages.success(request, _("%s is deactivated: its users can no longer sign in.") % partner)
    return redirect("crm:partner-detail", partner_id=partner_id)


@login_required
@require_POST
def partner_reactivate(request: MemberRequest, partner_id: int) -> HttpResponse:
    partner = services.partner_set_active(actor=request.user, partner_id=partner_id, active=True)
    messages.success(request, _("%s is reactivated.") % partner)
    return redirect("crm:partner-detail", partner_id=partner_id)


@login_required
def partner_location_add(request: MemberRequest, partner_id: int) -> HttpResponse:
    partner = selectors.partner_for_admin(user=request.user, partner_id=partner_id)
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.location_add(actor=request.user, partner_id=partner_id, item=form.location())
        except ValidationError as exc:
            add_errors(form, exc, LOCATION_FIELDS)
        else:
            messages.success(request, _("The location is added."))
            return redirect("crm:partner-detail", partner_id=partner_id)
    context = {"form": form, "partner": partner}
    return render(request, "crm/partners/location_form.html", context)


@login_required
def partner_invite(request: MemberRequest, partner_id: int) -> HttpResponse:
    partner = selectors.partner_for_admin(user=request.user, partner_id=partner_id)
    form = PartnerAdminInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = account_services.partner_admin_invite(
                actor=request.user,
                partner_id=partner_id,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Invitation sent to %s.") % invitation.email)
            return redirect("crm:partner-detail", partner_id=partner_id)
    context = {"form": form, "partner": partner}
    return render(request, "crm/partners/invite_form.html", context)
