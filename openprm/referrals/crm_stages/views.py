"""Settings > CRM stages (D9): the partner admin's own stage names and where each maps."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.errors import NotFound
from openprm.referrals.crm_stages import services
from openprm.referrals.crm_stages.forms import CrmStageForm
from openprm.referrals.crm_stages.mapping import standard_stage_for
from openprm.referrals.crm_stages.selectors import crm_stage_get, crm_stages_for_user
from openprm.referrals.pages import run_action, user_of
from openprm.referrals.stages.selectors import sales_stages


def require_partner_admin(request: HttpRequest) -> Any:
    user = user_of(request)
    if not user.is_partner_admin:
        raise NotFound()
    return user


@login_required
@require_http_methods(["GET", "POST"])
def crm_stages(request: AuthenticatedRequest) -> HttpResponse:
    """D9: Settings > CRM stages: the partner's own stage names with their percentages, each
    shown with the standard stage it maps to. Saving an existing name changes its percentage."""
    user = require_partner_admin(request)
    form = CrmStageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def perform(data: dict[str, Any]) -> Any:
            return services.crm_stage_save(
                actor=user, name=data["name"], percentage=data["percentage"]
            )

        if run_action(request, form, perform):
            messages.success(request, _("CRM stage saved."))
            return redirect("referrals:crm-stages")
    standard = list(sales_stages())
    rows = [
        {"stage": stage, "maps_to": standard_stage_for(stage.percentage, standard)}
        for stage in crm_stages_for_user(user=user)
    ]
    context = {
        "form": form,
        "rows": rows,
        "standard": standard,
        "section": "crm_stages",
        "can_manage_users": True,
    }
    return render(request, "referrals/crm_stages.html", context)


@login_required
@require_POST
def crm_stage_delete(request: AuthenticatedRequest, stage_id: int) -> HttpResponse:
    user = require_partner_admin(request)
    stage = crm_stage_get(user=user, stage_id=stage_id)
    services.crm_stage_delete(actor=user, stage=stage)
    messages.success(request, _("CRM stage deleted."))
    return redirect("referrals:crm-stages")
