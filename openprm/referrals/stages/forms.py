"""Marking a sales stage complete (D6)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import BootstrapForm
from openprm.referrals.forms import queryset_field
from openprm.referrals.models import SalesStage


class StageMarkForm(BootstrapForm):
    stage = forms.ModelChoiceField(
        label=_("Stage"), queryset=SalesStage.objects.none(), to_field_name="code"
    )

    def __init__(self, *args: Any, stages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset_field(self.fields["stage"]).queryset = stages
