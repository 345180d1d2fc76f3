from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openprm.accounts"
    label = "accounts"

    def ready(self) -> None:
        """Django's sign-in signals reach every password sign-in, the admin's too."""
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from openprm.accounts import lockout

        user_login_failed.connect(lockout.on_sign_in_failed, dispatch_uid="openprm-failed")
        user_logged_in.connect(lockout.on_signed_in, dispatch_uid="openprm-signed-in")
