from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from openprm.accounts.lockout import is_locked_out


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("Invalid email or password."),
        "inactive": _("Invalid email or password."),
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        if email and self.request is not None and is_locked_out(self.request, email):
            raise forms.ValidationError(
                _("Too many failed sign-in attempts; try again later."), code="locked_out"
            )
        return super().clean()
