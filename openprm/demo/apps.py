from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo program's loader; an app only so that `manage.py demo` is found."""

    name = "openprm.demo"
    label = "demo"
