from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "openprm.webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        # Registers the listener that turns domain events into deliveries, the sweep's finder
        # and the "webhook disabled" notification kind.
        from openprm.webhooks import notices, producer, sweeps  # noqa: F401
