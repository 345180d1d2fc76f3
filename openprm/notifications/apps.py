from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "openprm.notifications"
    label = "notifications"
