from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openprm.accounts"
    label = "accounts"
