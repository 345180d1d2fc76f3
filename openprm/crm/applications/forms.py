"""The public application form and the program admin's decision forms; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import BootstrapForm
from openprm.crm.applications.models import ApplicationStatus
from openprm.crm.applications.services import ApplicationInput, ApprovalInput
from openprm.crm.partners.forms import (
    LocationForm,
    ProgramTermsForm,
    country_choices,
    tier_at_start_field,
)


class ApplicationForm(BootstrapForm):
    company_name = forms.CharField(label=_("Company name"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=150)
    contact_email = forms.EmailField(label=_("Contact email"))
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you sell, to whom, and why you want to partner with us."),
    )

    def application(self) -> ApplicationInput:
        data = self.cleaned_data
        return ApplicationInput(
            company_name=data["company_name"],
            country=data["country"],
            website=data["website"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            message=data["message"],
        )


class ApprovalForm(ProgramTermsForm, LocationForm):
    """The new partner's terms and first location; name, country and website are applied for."""

    tier = tier_at_start_field()
    field_order = [
        "market_country", "currency", "pdm_id", "tier",
        "location_name", "location_country", "city", "location_code",
    ]  # fmt: skip

    def approval(self) -> ApprovalInput:
        data = self.cleaned_data
        return ApprovalInput(
            market=data["market_country"],
            currency=data["currency"],
            pdm_id=data["pdm_id"],
            tier=data["tier"],
            location=self.location(),
        )


class RejectionForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant reads it in the email that tells them."),
    )


class StatusFilterForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *ApplicationStatus.choices],
    )
