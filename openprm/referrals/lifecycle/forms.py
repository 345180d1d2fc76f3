"""The forms of a referral's moves: accept, decline (D4), edit (D5), close as won or lost (D7)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.dates import DateField
from openprm.core.forms import BootstrapForm
from openprm.referrals.forms import DATE, value_field
from openprm.referrals.models import DeclineReason, LostReason, PurchaseTimeframe


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
    vendor_crm_id = forms.CharField(label=_("Vendor CRM ID"), max_length=100, required=False)
    campaign_id = forms.CharField(label=_("Marketing campaign ID"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CloseWonForm(BootstrapForm):
    """D7 "Won": the MRR won goes onto the opportunity, which goals and points read."""

    mrr = value_field(_("MRR"))


class CloseLostForm(BootstrapForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=LostReason.choices)
    note = forms.CharField(
        label=_("Closing note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
