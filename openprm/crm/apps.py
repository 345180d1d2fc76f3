from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "openprm.crm"
    label = "crm"
