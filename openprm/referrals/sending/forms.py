"""The "Send referral" form (D1)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.accounts.models import Location
from openprm.core.dates import DateField
from openprm.core.forms import BootstrapForm
from openprm.crm.models import Customer
from openprm.referrals.forms import DATE, money_fields, queryset_field, search_fields


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
    vendor_crm_id = forms.CharField(label=_("Vendor CRM ID"), max_length=100, required=False)

    def __init__(
        self, *args: Any, locations: Any, customers: Any, vendor: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not vendor:
            del self.fields["vendor_crm_id"]  # the vendor's own id of the referral (D9)
        queryset_field(self.fields["receiving_location"]).queryset = locations
        queryset_field(self.fields["customer"]).queryset = customers
        search_fields(self)
