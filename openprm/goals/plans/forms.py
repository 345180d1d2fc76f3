"""Forms of the plan pages: company goals (step 1), the target grid (step 2 and reviews)."""

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import CurrencyChoiceField
from openprm.core.money import exponent, from_minor, to_minor
from openprm.crm.models import Currency
from openprm.goals.models import (
    GOAL_FIELDS,
    MAX_TARGET,
    MONEY_METRICS,
    MONTHS,
    QUARTERS,
    GoalPlan,
    Metric,
)
from openprm.goals.plans import calc
from openprm.goals.plans.services import TargetKey, target_field

GROWTH_CHOICES = [("", _("Choose…"))] + [(str(p), f"{p} %") for p in calc.GROWTH_PERCENTAGES]


class CompanyGoalsForm(forms.ModelForm):
    """Step 1: the five company goals, free text; the currency only when the plan is new."""

    currency = CurrencyChoiceField(
        label=_("Currency"), queryset=Currency.objects.all(), required=True
    )

    class Meta:
        model = GoalPlan
        fields = [*GOAL_FIELDS]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in GOAL_FIELDS}
        help_texts = {
            "organizational_goal": _("For example: sell the business in the next 12 months."),
            # xgettext:no-python-format
            "revenue_goal": _("For example: increase revenue by 20% in the next 12 months."),
            "people_goal": _("For example: hire a new sales rep in the next 6 months."),
            "market_goal": _("For example: expand into a vertical or market."),
            "partnership_goal": _("For example: reach the next tier in the next 3 months."),
        }

    def __init__(self, *args: Any, new: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields["currency"]


class TargetGridForm(forms.Form):
    """One input per metric and month: whole numbers for deals, the currency's cents for MRR."""

    growth = forms.TypedChoiceField(
        label=_("Apply growth percentage"), choices=GROWTH_CHOICES, coerce=int, required=False
    )

    def __init__(
        self,
        *args: Any,
        currency: str,
        values: dict[str, dict[int, int]],
        previous: dict[str, dict[int, int]],
        locked_months: Collection[int] = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.previous = previous
        self.locked_months = locked_months
        places = exponent(currency)
        self.money_step = str(Decimal(1).scaleb(-places))
        for metric in Metric.values:
            for month in MONTHS:
                label = f"{Metric(metric).label}, {MONTH_NAMES[month]}"
                field: forms.Field
                if metric in MONEY_METRICS:
                    field = forms.DecimalField(
                        label=label,
                        min_value=0,
                        max_digits=18,
                        decimal_places=places,
                        initial=from_minor(values[metric][month], currency),
                    )
                else:
                    field = forms.IntegerField(
                        label=label,
                        min_value=0,
                        max_value=MAX_TARGET,
                        initial=values[metric][month],
                    )
                field.disabled = month in locked_months
                self.fields[target_field(metric, month)] = field

    def fill(self, grown: dict[TargetKey, int]) -> None:
        """Show computed targets (growth applied) in an unsaved grid."""
        for (metric, month), value in grown.items():
            name = target_field(metric, month)
            shown = from_minor(value, self.currency) if metric in MONEY_METRICS else value
            self.fields[name].initial = shown

    def targets(self) -> dict[TargetKey, int]:
        """The cleaned grid in integer units; locked months are left out."""
        result: dict[TargetKey, int] = {}
        for metric in Metric.values:
            for month in MONTHS:
                if month in self.locked_months:
                    continue
                value = self.cleaned_data[target_field(metric, month)]
                if value is None:
                    raise ValidationError({target_field(metric, month): _("Enter a target.")})
                if metric in MONEY_METRICS:
                    result[(metric, month)] = to_minor(
                        value, self.currency, field=target_field(metric, month)
                    )
                else:
                    result[(metric, month)] = value
        return result

    def columns(self) -> list[dict[str, Any]]:
        """For the template's header: one pair of columns (last year, target) per metric."""
        return [
            {"label": Metric(metric).label, "is_money": metric in MONEY_METRICS}
            for metric in Metric.values
        ]

    def month_rows(self) -> list[dict[str, Any]]:
        """For the template: a row per month, every metric's input beside last year's actual,
        so the whole year fits on a laptop screen without scrolling sideways."""
        return [
            {
                "month": month,
                "cells": [
                    {
                        "field": self[target_field(metric, month)],
                        "previous": self.previous[metric][month],
                        "is_money": metric in MONEY_METRICS,
                        "step": self.money_step if metric in MONEY_METRICS else "1",
                    }
                    for metric in Metric.values
                ],
            }
            for month in MONTHS
        ]


class ReviewNotesForm(forms.Form):
    strategy_notes = forms.CharField(
        label=_("Strategy changes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    focus_notes = forms.CharField(
        label=_("Focus"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class NewReviewForm(ReviewNotesForm):
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), choices=[(q, f"Q{q}") for q in QUARTERS], coerce=int
    )
    field_order = ["quarter", "strategy_notes", "focus_notes"]
