"""Forms of "Convert to shared deal" (C4): the details, then the confirmation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.accounts.models import User
from openprm.core.dates import DateField
from openprm.core.forms import BootstrapForm
from openprm.deals.conversion.selectors import active_partners, partner_people


class PartnerPersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj} · {obj.partner_name}"


class ConvertForm(BootstrapForm):
    """C4 step 1: the partner, the partner's person who owns the deal, a welcome note."""

    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=active_partners(),
    )
    owner = PartnerPersonField(
        label=_("Partner contact"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The partner's lead notification recipient"),
        help_text=_("The partner's person who will own the deal."),
    )
    welcome_note = forms.CharField(
        label=_("Welcome note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    close_date = DateField(label=_("Close date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = partner_people()


class ConfirmForm(forms.Form):
    confirmed = forms.BooleanField(
        label=_("You have reached out to this partner to confirm availability to work the deal"),
        required=True,
    )
