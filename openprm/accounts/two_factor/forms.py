"""The forms of two-factor sign-in: one code field, and the organization's requirement."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import BootstrapMixin


class CodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("Authentication code"),
        max_length=20,
        help_text=_("The 6-digit code from your authenticator app, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class SetupForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.help_text = _("The 6-digit code your authenticator app shows now.")
        code.widget.attrs["inputmode"] = "numeric"


class SignInCodeForm(CodeForm):
    remember = forms.BooleanField(label=_("Remember this device"), required=False, initial=False)


class RequirementForm(BootstrapMixin, forms.Form):
    required = forms.BooleanField(
        label=_("Require two-factor sign-in for my organization"), required=False
    )
    partners_required = forms.BooleanField(
        label=_("Require two-factor sign-in for every partner"), required=False
    )

    def __init__(self, *args, program_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not program_admin:
            del self.fields["partners_required"]
        self.style_fields()
