"""The calculator on the Tier page: the same inputs as /api/v1/points/calculator."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from openprm.core.formatting import currency_label
from openprm.crm.models import Source
from openprm.points.calculator import MONEY_TO_POINTS, POINTS_TO_MONEY
from openprm.points.rules import Rules

DIRECTIONS = [
    (POINTS_TO_MONEY, _("Points to money")),
    (MONEY_TO_POINTS, _("Money to points")),
]


def currency_choices(rules: Rules) -> list[tuple[str, str]]:
    return [(code, currency_label(code)) for code in sorted(rules.usd100_equivalents)]


class MarketFields(forms.Form):
    country = forms.ChoiceField(label=_("Customer market"), choices=list(countries))
    currency = forms.ChoiceField(label=_("Customer currency"))

    def __init__(self, *args, rules: Rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = currency_choices(rules)  # type: ignore[attr-defined]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"


class CalculatorForm(MarketFields):
    field_order = ["mrr", "source", "country", "currency", "will_manage", "other_managing_partners"]

    mrr = forms.DecimalField(
        label=_("Amount sold (MRR)"), min_value=0, max_digits=15, decimal_places=3
    )
    source = forms.ChoiceField(label=_("Sourced or assisted"), choices=Source.choices)
    will_manage = forms.BooleanField(label=_("Will you manage this customer?"), required=False)
    other_managing_partners = forms.IntegerField(
        label=_("How many other partners will manage this customer?"),
        min_value=0,
        max_value=1000,
        initial=0,
    )


class ConversionForm(MarketFields):
    field_order = ["direction", "country", "currency", "source", "sold", "managed"]

    direction = forms.ChoiceField(label=_("Conversion direction"), choices=DIRECTIONS)
    source = forms.ChoiceField(
        label=_("Sold points are"), choices=Source.choices, initial=Source.SOURCED
    )
    sold = forms.DecimalField(
        label=_("Sold points or sold value"), min_value=0, max_digits=15, decimal_places=3
    )
    managed = forms.DecimalField(
        label=_("Managed points or managed value"), min_value=0, max_digits=15, decimal_places=3
    )
