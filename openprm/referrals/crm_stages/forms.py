"""One of the partner's own CRM stages (D9)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import BootstrapForm


class CrmStageForm(BootstrapForm):
    name = forms.CharField(label=_("Stage name"), max_length=80)
    percentage = forms.IntegerField(label=_("Percentage"))
