"""C8: Settings > Communication, where the partner admin picks who gets lead notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.errors import NotFound
from openprm.deals.assignment import selectors, services
from openprm.deals.assignment.forms import LeadRecipientsForm
from openprm.deals.pages import user_of


@login_required
@require_http_methods(["GET", "POST"])
def lead_recipients(request: AuthenticatedRequest) -> HttpResponse:
    """C8: Settings > Communication: who of the partner gets its lead notifications."""
    user = user_of(request)
    if not user.is_partner_admin:
        raise NotFound()
    candidates = selectors.lead_recipient_candidates(user.organization)
    current = [u.pk for u in selectors.lead_recipients(user.organization)]
    form = LeadRecipientsForm(
        request.POST or None, candidates=candidates, initial={"users": current}
    )
    if request.method == "POST" and form.is_valid():
        services.lead_recipients_set(actor=user, users=list(form.cleaned_data["users"]))
        messages.success(request, _("Lead notification recipients saved."))
        return redirect("deals:lead-recipients")
    context = {"form": form, "section": "communication", "can_manage_users": True}
    return render(request, "deals/lead_recipients.html", context)
