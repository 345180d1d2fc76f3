from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "openprm.deals"
    verbose_name = "Shared deals"

    def ready(self) -> None:
        # Registers the registration-expiry finder with the periodic sweep, and the "Shared
        # deal" card with crm's customer and contact pages.
        from openprm.deals import cards  # noqa: F401
        from openprm.deals.registrations import sweeps  # noqa: F401
