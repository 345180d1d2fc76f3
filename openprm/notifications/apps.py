from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "openprm.notifications"
    label = "notifications"

    def ready(self) -> None:
        from openprm.notifications import sweeps  # noqa: F401  registers its due work
