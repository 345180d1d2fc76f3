"""Forms of the shared-deal pages; they parse input, the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.dates import DateField
from openprm.core.forms import BootstrapForm, CurrencyChoiceField
from openprm.crm.models import Currency, Product
from openprm.deals.models import PipelineStage


def catalog() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Product interest"),
        queryset=Product.objects.filter(is_active=True),
        error_messages={"invalid_choice": _("The vendor does not sell this product.")},
    )


def positive(value):
    if value is not None and value <= 0:
        raise forms.ValidationError(_("Must be more than zero."))
    return value


def crm_id(label: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=100, required=False)


class DealStep1Form(BootstrapForm):
    name = forms.CharField(label=_("Deal name"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=3)
    currency = CurrencyChoiceField(label=_("Currency"), queryset=Currency.objects.all())
    mrr = forms.DecimalField(label=_("MRR"), max_digits=18, decimal_places=3)
    close_date = DateField(label=_("Close date"), widget=forms.DateInput(attrs={"type": "date"}))
    products = catalog()
    vendor_crm_id = crm_id(_("Vendor CRM ID"))
    partner_crm_id = crm_id(_("Partner CRM ID"))

    def clean_amount(self):
        return positive(self.cleaned_data["amount"])

    def clean_mrr(self):
        return positive(self.cleaned_data["mrr"])


class DealDetailsForm(BootstrapForm):
    """C5: "Edit" > "Edit details": key information either side may change; compensation
    eligibility only for the vendor (the field is dropped for partners)."""

    name = forms.CharField(label=_("Deal name"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=3)
    mrr = forms.DecimalField(label=_("MRR"), max_digits=18, decimal_places=3)
    close_date = DateField(
        label=_("Close date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    vendor_crm_id = crm_id(_("Vendor CRM ID"))
    partner_crm_id = crm_id(_("Partner CRM ID"))
    compensation_eligible = forms.BooleanField(
        label=_("Partner compensation eligibility"), required=False
    )

    def __init__(self, *args, vendor: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not vendor:
            del self.fields["compensation_eligible"]

    def clean_amount(self):
        return positive(self.cleaned_data["amount"])

    def clean_mrr(self):
        return positive(self.cleaned_data["mrr"])


class DealStep2Form(BootstrapForm):
    introduction_note = forms.CharField(
        label=_("Introduction note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    pain = forms.CharField(
        label=_("Specific pain/opportunity defined"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    next_steps = forms.CharField(
        label=_("Next steps"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ChangeProductForm(BootstrapForm):
    products = catalog()


class StageForm(BootstrapForm):
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=PipelineStage.objects.all())
