from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openprm.core"
    label = "core"
