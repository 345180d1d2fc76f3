"""The form of Settings > Communication (C8)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.accounts.models import User


class LeadRecipientsForm(forms.Form):
    users = forms.ModelMultipleChoiceField(
        label=_("Get notified about lead activity"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Nobody chosen: the partner admins get them."),
    )

    def __init__(self, *args, candidates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        users = self.fields["users"]
        assert isinstance(users, forms.ModelMultipleChoiceField)
        users.queryset = candidates
