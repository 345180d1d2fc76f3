from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "openprm.dashboard"
    verbose_name = "Partner dashboard"

    def ready(self) -> None:
        from openprm.dashboard import notices  # noqa: F401  registers the export notification kind
