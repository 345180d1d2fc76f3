from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openprm.audit"
    verbose_name = "Audit log"
