from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "openprm.goals"
    verbose_name = "Goals"

    def ready(self) -> None:
        from openprm.goals.tasks import sweeps  # noqa: F401  registers its due work
