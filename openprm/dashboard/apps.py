from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "openprm.dashboard"
    verbose_name = "Partner dashboard"

    def ready(self) -> None:
        # Registers the commission-statement finder with the periodic sweep.
        from openprm.dashboard import sweeps  # noqa: F401
