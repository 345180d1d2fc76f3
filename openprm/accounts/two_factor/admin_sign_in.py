"""The Django admin's own sign-in form asks no code, so it refuses an account that signs in
with two-factor sign-in (or must set it up): that account uses the site's sign-in page, and
then reaches the admin with its session."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from openprm.accounts.models import User
from openprm.accounts.two_factor import selectors


class AdminSignInForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if selectors.sign_in_step(user=user) is not None:
            raise ValidationError(
                _("This account uses two-factor sign-in: sign in on the site's sign-in page."),
                code="two_factor",
            )
