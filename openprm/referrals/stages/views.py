"""Marking a deal's stage complete from its page (D6)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.referrals.models import Referral
from openprm.referrals.pages import referral_for_action, report_errors, run_action, user_of
from openprm.referrals.stages.forms import StageMarkForm
from openprm.referrals.stages.selectors import markable_stages
from openprm.referrals.stages.services import referral_mark_stage


@login_required
@require_POST
def mark_stage(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
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
