"""Partner > Tier: current points from the ledger, tier performance and the calculator."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openprm.points import calculator, selectors
from openprm.points.forms import CalculatorForm, ConversionForm
from openprm.points.models import tier_label


def run_form(form: Any, compute: Any) -> Any:
    """The result of `compute(**cleaned_data)`, with rule errors shown on the form's fields."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return compute(**form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
def tier(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_partner:
        raise Http404
    overview = selectors.tier_overview(organization=user.organization)
    rules = overview.ruleset.to_rules()
    # Until the partner picks a market, suggest its own country and the US dollar.
    initial = {"country": user.organization.country, "currency": "USD"}
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
    standing = overview.standing
    context = {
        "overview": overview,
        "tier_name": tier_label(standing.tier.name) if standing.tier else None,
        "next_tier_name": tier_label(standing.next_tier.name) if standing.next_tier else None,
        "tiers": [(tier_label(t.name), t) for t in rules.tiers],
        "calc_form": calc_form,
        "conv_form": conv_form,
        "estimate": estimate,
        "conversion": conversion,
        "active_tab": "currency" if conv_form.is_bound else "calculator",
    }
    return render(request, "points/tier.html", context)
