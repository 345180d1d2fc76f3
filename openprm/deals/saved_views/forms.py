"""The "Save view" form of the deal list (C7)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import BootstrapForm


class SavedViewForm(BootstrapForm):
    name = forms.CharField(label=_("View name"), max_length=80)
