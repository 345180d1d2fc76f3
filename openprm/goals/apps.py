from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "openprm.goals"
    verbose_name = "Goals"
