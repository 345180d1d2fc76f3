"""Forms for the customer and contact pages; the services still decide what is valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.formatting import country_choices
from openprm.crm.models import Customer


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)
    duns = forms.CharField(label=_("DUNS number"), required=False, max_length=9)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        assert isinstance(country, forms.ChoiceField)
        country.choices = [("", _("Any country")), *country_choices()]


class ContactSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class CustomerNoteForm(forms.Form):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    customer = forms.ModelChoiceField(
        label=_("Customer"),
        queryset=Customer.objects.only("id", "name", "country").order_by("name"),
        required=False,
    )
    vendor_crm_id = forms.CharField(label=_("Vendor CRM ID"), max_length=100, required=False)
    partner_crm_id = forms.CharField(label=_("Partner CRM ID"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
