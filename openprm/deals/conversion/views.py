"""C4 pages: the vendor's own open opportunities, and "Convert to shared deal" on one."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.errors import NotFound
from openprm.deals.conversion import selectors, services
from openprm.deals.conversion.forms import ConfirmForm, ConvertForm
from openprm.deals.pages import PAGE_SIZE, add_errors, user_of


@login_required
def vendor_opportunities(request: AuthenticatedRequest) -> HttpResponse:
    """The vendor's own open opportunities, each with "Convert to shared deal" (C4)."""
    user = user_of(request)
    if user.role not in selectors.CONVERTERS:
        raise NotFound()
    opportunities = selectors.vendor_opportunities(user=user).order_by("-opened_at", "-id")
    page = Paginator(opportunities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deals/vendor_opportunities.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def convert(request: AuthenticatedRequest, opportunity_id: int) -> HttpResponse:
    """Partner, partner contact, welcome note, "Next"; the review with the required
    confirmation; "Add partner"."""
    user = user_of(request)
    opportunity = selectors.vendor_opportunity_get(user=user, opportunity_id=opportunity_id)
    details = ConvertForm(
        request.POST or None,
        initial={"close_date": timezone.localdate() + datetime.timedelta(days=60)},
    )
    confirm = ConfirmForm(request.POST if request.POST.get("step") == "2" else None)
    step = 1
    if request.method == "POST" and details.is_valid():
        step = 2
        if request.POST.get("step") == "2":
            confirmed = confirm.is_valid()
            data = details.cleaned_data
            try:
                deal = services.deal_convert(
                    opportunity=opportunity,
                    actor=user,
                    partner=data["partner"],
                    owner=data["owner"],
                    welcome_note=data["welcome_note"],
                    close_date=data["close_date"],
                    confirmed=confirmed,
                )
            except ValidationError as exc:
                add_errors([details, confirm], exc)
                step = 2 if set(exc.message_dict) <= {"confirmed"} else 1
            else:
                messages.success(request, _("The partner was added to the deal."))
                return redirect("deals:detail", deal_id=deal.pk)
    owner = None
    if step == 2:
        owner = selectors.owner_or_default(
            details.cleaned_data["partner"], details.cleaned_data["owner"]
        )
    context = {
        "opportunity": opportunity,
        "details": details,
        "confirm": confirm,
        "step": step,
        "owner": owner,
    }
    return render(request, "deals/convert.html", context)
