from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "openprm.dashboard"
    verbose_name = _("Partner dashboard")

    def ready(self) -> None:
        from openprm.dashboard import notices  # noqa: F401  registers the export notification kind
