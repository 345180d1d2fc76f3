from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "openprm.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # Registers the listener that turns domain events into deliveries, the sweep's finder
        # and the "webhook disabled" notification kind.
        from openprm.webhooks import notices, producer, sweeps  # noqa: F401
