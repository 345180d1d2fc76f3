from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo program's loader; an app only so that `manage.py demo` is found."""

    name = "openprm.demo"
    label = "demo"
    verbose_name = _("Demo program")
