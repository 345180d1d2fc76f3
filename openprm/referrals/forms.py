"""Forms of the referral pages: they parse input; the referrals services decide what is valid.

Labels are the ones partners' training material quotes (SPEC D, seed 004), verbatim.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from openprm.accounts.models import Location
from openprm.core.dates import DateField
from openprm.crm.models import Currency, Customer, OpportunityKind
from openprm.referrals.models import (
    DeclineReason,
    LostReason,
    PurchaseTimeframe,
    SalesStage,
    SolutionType,
    Substatus,
)

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


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget, so templates render fields as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.HiddenInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


def value_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=18, decimal_places=3)


def money_fields(label: Any) -> tuple[forms.DecimalField, forms.ModelChoiceField]:
    """An amount and its currency; the referral's own currency when only the value is edited."""
    return (
        value_field(label),
        forms.ModelChoiceField(label=_("Currency"), queryset=Currency.objects.all()),
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


class PartnerLocationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organization.name} · {obj}"


class SendReferralForm(BootstrapForm):
    """D1 "Send referral": to one of a partner's locations, for a directory customer."""

    receiving_location = PartnerLocationField(
        label=_("Receiving partner"), queryset=Location.objects.none()
    )
    country = forms.ChoiceField(label=_("Location"), required=False)
    q = forms.CharField(label=_("Customer name"), required=False, max_length=200)
    duns = forms.CharField(label=_("DUNS number"), required=False, max_length=20)
    # Chosen among the directory's suggestions (radio buttons), never listed whole.
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=Customer.objects.none(),
        error_messages={"required": _("Choose the customer from the suggestions.")},
    )
    name = forms.CharField(label=_("Deal name"), max_length=200)
    contact_name = forms.CharField(label=_("Contact name"), max_length=150, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    value, currency = money_fields(_("Estimated value"))
    estimated_close_date = DateField(
        label=_("Estimated close date"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(
        label=_("The customer agreed to share this contact information"), required=False
    )

    def __init__(self, *args: Any, locations: Any, customers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset_field(self.fields["receiving_location"]).queryset = locations
        queryset_field(self.fields["customer"]).queryset = customers
        search_fields(self)


def search_fields(form: forms.Form) -> None:
    """The directory search's inputs: any country, and suggestions while the name is typed."""
    choice_field(form.fields["country"]).choices = [("", _("Any country")), *countries]
    for name in ("country", "q", "duns"):
        form.fields[name].widget.attrs["data-suggest"] = ""
    form.fields["q"].widget.attrs["autocomplete"] = "off"


# --- "New deal" wizard (D2), one form per step ----------------------------------------------


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
    new_country = forms.ChoiceField(label=_("Country"), choices=countries)
    new_duns = forms.CharField(label=_("DUNS number"), max_length=20)
    new_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    new_city = forms.CharField(label=_("City"), max_length=120, required=False)
    new_currency = forms.ModelChoiceField(label=_("Currency"), queryset=Currency.objects.all())


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


class TeamMemberForm(BootstrapForm):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["data-team-field"] = name

    def member(self) -> dict[str, str] | None:
        """The row as the services take it, or None for a row left empty."""
        data = {k: (v or "").strip() for k, v in self.cleaned_data.items()}
        return data if any(data.values()) else None


TeamFormSet = forms.formset_factory(TeamMemberForm, extra=0, min_num=3, max_num=10)


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


# --- actions on one referral (D4 to D8) ---------------------------------------------------------


class AcceptForm(BootstrapForm):
    """D4 "Accept": review name, value and timeframe; notes required; the rest optional."""

    name = forms.CharField(label=_("Deal name"), max_length=200)
    value = value_field(_("Estimated value"))
    purchase_timeframe = forms.ChoiceField(
        label=_("Purchase timeframe"), choices=PurchaseTimeframe.choices
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}))
    crm_id = forms.CharField(label=_("CRM ID"), max_length=100, required=False)
    campaign_id = forms.CharField(label=_("Marketing campaign ID"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DeclineForm(BootstrapForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    message = forms.CharField(
        label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EditForm(BootstrapForm):
    """D5 "Edit": location and solution are not offered; they never change."""

    name = forms.CharField(label=_("Deal name"), max_length=200)
    estimated_close_date = DateField(
        label=_("Estimated close date"), widget=forms.DateInput(attrs=DATE)
    )
    value = value_field(_("Estimated value"))
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}))
    crm_id = forms.CharField(label=_("CRM ID"), max_length=100, required=False)
    campaign_id = forms.CharField(label=_("Marketing campaign ID"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TeamAddForm(BootstrapForm):
    """One team member; optional where a team member may be left out (on "Accept")."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("Email"))

    def __init__(self, *args: Any, optional: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = not optional


class StageMarkForm(BootstrapForm):
    stage = forms.ModelChoiceField(
        label=_("Stage"), queryset=SalesStage.objects.none(), to_field_name="code"
    )

    def __init__(self, *args: Any, stages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset_field(self.fields["stage"]).queryset = stages


class CloseWonForm(BootstrapForm):
    """D7 "Won": the MRR won goes onto the opportunity, which goals and points read."""

    mrr = value_field(_("MRR"))


class CloseLostForm(BootstrapForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=LostReason.choices)
    note = forms.CharField(
        label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RegistrationForm(BootstrapForm):
    """D8: what the partner enters to register a won deal of an eligible solution."""

    won_value = value_field(_("Won value"))
    closed_on = DateField(label=_("Close date"), widget=forms.DateInput(attrs=DATE))
    account_ids = forms.CharField(
        label=_("Vendor account or subscription IDs"),
        max_length=500,
        help_text=_("The customer's ids at the vendor, separated by commas."),
    )
    proof = forms.FileField(label=_("Proof"))


class CrmStageForm(BootstrapForm):
    name = forms.CharField(label=_("Stage name"), max_length=80)
    percentage = forms.IntegerField(label=_("Percentage"))
