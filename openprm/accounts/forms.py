"""Forms for sign-in, settings and user management; they validate shape, services decide."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from openprm.accounts import services
from openprm.accounts.lockout import is_locked_out
from openprm.accounts.models import Organization, User
from openprm.accounts.roles import ROLES_BY_KIND, OrganizationKind, Role
from openprm.core.forms import BootstrapMixin


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


class OwnPasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def save(self, commit: bool = True) -> Any:
        return services.user_set_password(
            user=self.user, password=self.cleaned_data["new_password1"]
        )


class ResetPasswordForm(BootstrapMixin, PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.style_fields()


class ResetSetPasswordForm(BootstrapMixin, SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def save(self, commit: bool = True) -> Any:
        return services.user_set_password(
            user=self.user, password=self.cleaned_data["new_password1"]
        )


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(services.timezone_names())]


class PreferencesForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), required=False)
    timezone = forms.ChoiceField(label=_("Timezone"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        language_field = self.fields["language"]
        timezone_field = self.fields["timezone"]
        assert isinstance(language_field, forms.ChoiceField)
        assert isinstance(timezone_field, forms.ChoiceField)
        language_field.choices = [
            ("", _("The browser's language")),
            *((code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES),
        ]
        timezone_field.choices = timezone_choices()
        self.style_fields()


class ApiTokenForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.style_fields()


class RoleScopeForm(BootstrapMixin, forms.Form):
    """Role, and for partner organizations the location scope chosen from its own locations."""

    role = forms.ChoiceField(label=_("Role"))
    global_scope = forms.BooleanField(
        label=_("Global scope"),
        required=False,
        help_text=_("Partner users with global scope see every location; admins always do."),
    )
    location_countries = forms.MultipleChoiceField(
        label=_("Location scope"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any):
        super().__init__(*args, **kwargs)
        kind = OrganizationKind(organization.kind)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [
            (value, label) for value, label in Role.choices if value in ROLES_BY_KIND[kind]
        ]
        if kind == OrganizationKind.PARTNER:
            countries_field = self.fields["location_countries"]
            assert isinstance(countries_field, forms.MultipleChoiceField)
            countries_field.choices = [
                (code, countries.name(code))
                for code in services.location_countries_of(organization)
            ]
        else:
            del self.fields["global_scope"]
            del self.fields["location_countries"]
        self.style_fields()

    def scope(self) -> dict[str, Any]:
        return {
            "role": self.cleaned_data["role"],
            "global_scope": self.cleaned_data.get("global_scope", True),
            "location_countries": self.cleaned_data.get("location_countries", []),
        }


class InvitationForm(RoleScopeForm):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    field_order = ["email", "full_name", "role", "global_scope", "location_countries"]


class InvitationAcceptForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_confirmation = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.email = email
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password and password != cleaned.get("password_confirmation"):
            self.add_error("password_confirmation", _("The two passwords do not match."))
        elif password:
            candidate = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned
