"""The Privacy requests page's forms; the services still decide what is valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.accounts.forms import BootstrapMixin


class SubjectForm(BootstrapMixin, forms.Form):
    email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    contact_id = forms.IntegerField(label=_("Contact ID"), min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class ErasureForm(SubjectForm):
    """The confirmation step: the person stays as searched, hidden; the reference and the
    confirmation are asked for."""

    reason = forms.CharField(
        label=_("Request reference"),
        max_length=500,
        required=False,
        help_text=_("Where the request came from, such as a ticket number or the date of a "
                    "letter. Leave out the person's name and email."),
    )  # fmt: skip
    confirmed = forms.BooleanField(
        label=_("I understand that this person's data is erased for good."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget = forms.HiddenInput()
        self.fields["contact_id"].widget = forms.HiddenInput()
