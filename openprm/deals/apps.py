from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "openprm.deals"
    verbose_name = _("Shared deals")

    def ready(self) -> None:
        # Registers the registration-expiry finder with the periodic sweep, and the "Shared
        # deal" card with crm's customer and contact pages.
        from openprm.deals import cards  # noqa: F401
        from openprm.deals.registrations import sweeps  # noqa: F401
