"""Partner > Tier: tier performance, progress, insights, the path to the next tier, the
calculator, and the Points Breakdown tab with each customer's points."""

import json
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.dates import program_today
from openprm.crm.models import MarketType, OpportunityKind
from openprm.points import breakdown, calculator, charts
from openprm.points.forms import CalculatorForm, ConversionForm
from openprm.points.ledger import progress
from openprm.points.models import tier_label
from openprm.points.rulesets.selectors import rules_in_force
from openprm.points.tiers import account, next_tier, selectors


def run_form(form: Any, compute: Any) -> Any:
    """The result of `compute(**cleaned_data)`, with rule errors shown on the form's fields."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return compute(**form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def own_partner(request: HttpRequest) -> Any:
    """The Tier pages are the partner's own; vendor staff get 404 here."""
    user: Any = request.user
    if not user.is_partner:
        raise Http404
    return user.organization


@login_required
def tier(request: AuthenticatedRequest) -> HttpResponse:
    partner = own_partner(request)
    today = program_today()
    ruleset = rules_in_force(today)
    path = next_tier.tier_path(partner=partner, on=today, ruleset=ruleset)
    status = path.status
    rules = ruleset.to_rules()
    # Until the partner picks a market, suggest its own country and the US dollar.
    initial = {"country": partner.country, "currency": "USD"}
    calc_form = CalculatorForm(
        request.GET if "calc-mrr" in request.GET else None,
        prefix="calc",
        rules=rules,
        initial=initial,
    )
    conv_form = ConversionForm(
        request.GET if "conv-direction" in request.GET else None,
        prefix="conv",
        rules=rules,
        initial=initial,
    )
    estimate = run_form(calc_form, lambda **data: calculator.estimate(rules=rules, **data))
    conversion = run_form(conv_form, lambda **data: calculator.convert(rules=rules, **data))
    months = progress.points_by_month(partner=partner, on=today)
    threshold_label = (
        _("%(tier)s threshold") % {"tier": status.next_tier_label} if status.next_tier else ""
    )
    context = {
        "status": status,
        "path": path,
        "ruleset": ruleset,
        "account": account.account_performance(partner=partner, on=today),
        "changes": selectors.tier_changes(partner=partner),
        "months": months,
        "chart": json.loads(
            charts.tier_progress(
                months, threshold=status.next_tier_threshold, threshold_label=threshold_label
            )
        ),
        "tiers": [(tier_label(t.name), t) for t in rules.tiers],
        "after_expiry_label": tier_label(path.performance_after_expiry)
        if path.performance_after_expiry
        else "",
        "calc_form": calc_form,
        "conv_form": conv_form,
        "estimate": estimate,
        "conversion": conversion,
        "active_tab": "currency" if conv_form.is_bound else "calculator",
    }
    return render(request, "points/tier.html", context)


class BreakdownFilter(forms.Form):
    deal_type = forms.ChoiceField(
        label=gettext_lazy("Deal type"),
        required=False,
        choices=[("", gettext_lazy("All deal types")), *OpportunityKind.choices],
    )
    market_type = forms.ChoiceField(
        label=gettext_lazy("Market type"),
        required=False,
        choices=[("", gettext_lazy("All market types")), *MarketType.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"


@login_required
def points_breakdown(request: AuthenticatedRequest) -> HttpResponse:
    partner = own_partner(request)
    today = program_today()
    form = BreakdownFilter(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = breakdown.points_breakdown(
        partner=partner,
        deal_type=filters.get("deal_type") or None,
        market_type=filters.get("market_type") or None,
        on=today,
    )
    months = progress.points_by_month(partner=partner, on=today)
    context = {
        "form": form,
        "rows": rows,
        "market_labels": dict(MarketType.choices),
        "months": months,
        "chart": json.loads(charts.progress_over_time(months)),
    }
    return render(request, "points/breakdown.html", context)


@login_required
def customer_points(request: AuthenticatedRequest, customer_id: int) -> HttpResponse:
    partner = own_partner(request)
    detail = breakdown.customer_points_detail(partner=partner, customer_id=customer_id)
    return render(request, "points/customer.html", {"detail": detail})
