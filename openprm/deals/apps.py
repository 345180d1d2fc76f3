from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "openprm.deals"
    verbose_name = "Shared deals"

    def ready(self) -> None:
        # Registers the registration-expiry finder with the periodic sweep.
        from openprm.deals import sweeps  # noqa: F401
