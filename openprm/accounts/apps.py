from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "openprm.accounts"
    label = "accounts"
    verbose_name = _("Organizations and users")

    def ready(self) -> None:
        """Django's sign-in signals reach every password sign-in, the admin's too; the admin's
        sign-in form refuses accounts that sign in with a second factor."""
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from openprm.accounts import lockout
        from openprm.accounts.two_factor import admin as two_factor_admin
        from openprm.accounts.two_factor.admin_sign_in import AdminSignInForm

        admin.site.login_form = AdminSignInForm
        two_factor_admin.register()

        user_login_failed.connect(lockout.on_sign_in_failed, dispatch_uid="openprm-failed")
        user_logged_in.connect(lockout.on_signed_in, dispatch_uid="openprm-signed-in")
