from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "openprm.dashboard"
    verbose_name = "Partner dashboard"

    def ready(self) -> None:
        # Registers the export notification kind, and the commission-statement finder with
        # the periodic sweep.
        from openprm.dashboard import notices, sweeps  # noqa: F401
