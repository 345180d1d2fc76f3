from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "openprm.privacy"
    verbose_name = "Privacy requests"
