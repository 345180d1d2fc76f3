"""The program admin's partner forms; they check shape, the partner services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from openprm.core.forms import BootstrapForm
from openprm.crm.partners.selectors import PartnerChoices
from openprm.crm.partners.services import LocationInput, PartnerInput


def country_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((code, name) for code, name in countries)]


class ProgramTermsForm(BootstrapForm):
    """Where the partner sells, in which currency, and who looks after it for the vendor."""

    market_country = forms.ChoiceField(label=_("Market"), required=False)
    currency = forms.ChoiceField(label=_("Currency"))
    pdm_id = forms.TypedChoiceField(
        label=_("Partner development manager"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: Any, choices: PartnerChoices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.set_choices("market_country", [("", "—"), *choices.markets])
        self.set_choices("currency", choices.currencies)
        self.set_choices("pdm_id", [("", "—"), *choices.pdms])

    def set_choices(self, name: str, choices: list) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class PartnerForm(ProgramTermsForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"))
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    field_order = ["name", "country", "market_country", "currency", "pdm_id", "website"]

    def __init__(self, *args: Any, choices: PartnerChoices, **kwargs: Any):
        super().__init__(*args, choices=choices, **kwargs)
        self.set_choices("country", country_choices())

    def partner(self) -> PartnerInput:
        data = self.cleaned_data
        return PartnerInput(
            name=data["name"],
            country=data["country"],
            market=data["market_country"],
            currency=data["currency"],
            pdm_id=data["pdm_id"],
            website=data["website"],
        )


def tier_at_start_field() -> forms.CharField:
    return forms.CharField(
        label=_("Tier at start"),
        max_length=50,
        required=False,
        help_text=_("As named in the tier rules, such as Gold; the tier evaluations take over."),
    )


class LocationForm(BootstrapForm):
    location_name = forms.CharField(label=_("Location name"), max_length=120)
    location_country = forms.ChoiceField(label=_("Location country"))
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    location_code = forms.CharField(
        label=_("Location ID"),
        max_length=40,
        required=False,
        help_text=_("Your own id for this location, unique in the program."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["location_country"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = country_choices()

    def location(self) -> LocationInput:
        data = self.cleaned_data
        return LocationInput(
            name=data["location_name"],
            country=data["location_country"],
            city=data["city"],
            code=data["location_code"],
        )


class PartnerCreateForm(PartnerForm, LocationForm):
    """A new partner and its first location; more locations are added on its page."""

    tier = tier_at_start_field()
    field_order = [
        "name", "country", "market_country", "currency", "pdm_id", "tier", "website",
        "location_name", "location_country", "city", "location_code",
    ]  # fmt: skip


class PartnerAdminInvitationForm(BootstrapForm):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
