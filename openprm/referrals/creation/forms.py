"""The "New deal" wizard's forms (D2), one a step."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.accounts.models import Location
from openprm.core.dates import DateField
from openprm.core.formatting import country_choices
from openprm.core.forms import BootstrapForm, CurrencyChoiceField
from openprm.crm.models import Currency
from openprm.referrals.forms import DATE, choice_field, money_fields, queryset_field, search_fields
from openprm.referrals.models import SolutionType


class CustomerStepForm(BootstrapForm):
    """Step 1: the deal type, then the customer chosen from the directory's suggestions."""

    deal_type = forms.ChoiceField(label=_("Deal type"), widget=forms.RadioSelect)
    country = forms.ChoiceField(label=_("Location"), required=False)
    q = forms.CharField(label=_("Customer name"), required=False, max_length=200)
    duns = forms.CharField(label=_("DUNS number"), required=False, max_length=20)
    customer = forms.CharField(label=_("Select customer"), required=False, max_length=20)

    def __init__(self, *args: Any, deal_types: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self.fields["deal_type"]).choices = deal_types
        search_fields(self)


class NewCustomerForm(BootstrapForm):
    """Step 1, when the directory lacks the entity: add it with its DUNS number."""

    new_name = forms.CharField(label=_("Company name"), max_length=200)
    new_country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    new_duns = forms.CharField(label=_("DUNS number"), max_length=20)
    new_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    new_city = forms.CharField(label=_("City"), max_length=120, required=False)
    new_currency = CurrencyChoiceField(label=_("Currency"), queryset=Currency.objects.all())


class ContactStepForm(BootstrapForm):
    """Step 2: the customer's contact, the memo, the consent; the services say when required."""

    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Email"), required=False)
    specialist_memo = forms.CharField(
        label=_("Memo for the solution assessment specialist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    vendor_help_requested = forms.BooleanField(label=_("Request vendor sales help"), required=False)
    consent = forms.BooleanField(
        label=_("The customer agreed to share this contact information with the vendor"),
        required=False,
    )


class DetailsStepForm(BootstrapForm):
    """Step 3: the deal details (SPEC D2 step 3 names which are required)."""

    name = forms.CharField(label=_("Deal name"), max_length=200)
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none())
    value, currency = money_fields(_("Estimated value"))
    estimated_close_date = DateField(
        label=_("Estimated close date"), widget=forms.DateInput(attrs=DATE)
    )
    crm_id = forms.CharField(label=_("CRM ID"), max_length=100, required=False)
    campaign_id = forms.CharField(label=_("Marketing campaign ID"), max_length=100, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset_field(self.fields["location"]).queryset = locations


class SolutionStepForm(BootstrapForm):
    """Step 5: exactly one solution assessment type, and where the assessment happens."""

    solution_type = forms.ModelChoiceField(
        label=_("Solution assessment type"),
        queryset=SolutionType.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )
    assessment_location = forms.ModelChoiceField(
        label=_("Assessment location"),
        queryset=Location.objects.none(),
    )

    def __init__(self, *args: Any, solution_types: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset_field(self.fields["solution_type"]).queryset = solution_types
        queryset_field(self.fields["assessment_location"]).queryset = locations


class AgreeStepForm(BootstrapForm):
    agree = forms.BooleanField(
        label=_("I agree that the details above are correct and may be shared with the vendor"),
        required=True,
    )
