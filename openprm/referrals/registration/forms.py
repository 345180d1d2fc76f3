"""Registering a won deal (D8)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.dates import DateField
from openprm.core.forms import BootstrapForm
from openprm.referrals.forms import DATE, value_field


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
