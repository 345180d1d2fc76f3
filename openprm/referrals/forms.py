"""Forms of the referral pages: they parse input; the referrals services decide what is valid.
Here the lists' filters and what the sub-domains' forms (sending/forms.py, creation/forms.py
and the others) share.

Labels are the ones partners' training material quotes (SPEC D, seed 004), verbatim.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.dates import DateField
from openprm.core.formatting import country_choices
from openprm.core.forms import BootstrapForm, CurrencyChoiceField
from openprm.crm.models import Currency, OpportunityKind
from openprm.referrals.models import Substatus

DEAL_TYPES = [
    (OpportunityKind.CO_SELL.value, _("Co-sell")),
    (OpportunityKind.SOLUTION_ASSESSMENT.value, _("Solution Assessment")),
]
DATE = {"type": "date"}


def queryset_field(field: forms.Field) -> forms.ModelChoiceField:
    assert isinstance(field, forms.ModelChoiceField)
    return field


def choice_field(field: forms.Field) -> forms.ChoiceField:
    assert isinstance(field, forms.ChoiceField)
    return field


def value_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=18, decimal_places=3)


def money_fields(label: Any) -> tuple[forms.DecimalField, forms.ModelChoiceField]:
    """An amount and its currency; the referral's own currency when only the value is edited."""
    return (
        value_field(label),
        CurrencyChoiceField(label=_("Currency"), queryset=Currency.objects.all()),
    )


class ReferralFilterForm(BootstrapForm):
    """D1: the list's filters and its order; an unknown value is simply ignored."""

    ORDERINGS = [
        ("-created", _("Newest first")),
        ("created", _("Oldest first")),
        ("close_date", _("Close date")),
        ("-value", _("Highest value")),
        ("name", _("Deal name")),
    ]

    deal_type = forms.ChoiceField(label=_("Deal type"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    location = forms.ChoiceField(label=_("Location"), required=False)
    close_from = DateField(
        label=_("Close date from"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    close_to = DateField(
        label=_("Close date to"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    campaign_id = forms.CharField(label=_("Marketing campaign ID"), required=False, max_length=100)
    ordering = forms.ChoiceField(label=_("Sort by"), required=False, choices=ORDERINGS)

    def __init__(
        self,
        *args: Any,
        locations: list[tuple[str, str]],
        stages: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        any_choice = ("", _("Any"))
        choices: dict[str, list[tuple[str, Any]]] = {
            "deal_type": DEAL_TYPES,
            "status": list(Substatus.choices),
            "stage": stages,
            "location": locations,
        }
        for name, values in choices.items():
            choice_field(self.fields[name]).choices = [any_choice, *values]

    def filters(self) -> dict[str, Any]:
        """What the selector filters by: only the valid, given values."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


def search_fields(form: forms.Form) -> None:
    """The directory search's inputs: any country, and suggestions while the name is typed."""
    choice_field(form.fields["country"]).choices = [("", _("Any country")), *country_choices()]
    for name in ("country", "q", "duns"):
        form.fields[name].widget.attrs["data-suggest"] = ""
    form.fields["q"].widget.attrs["autocomplete"] = "off"
