from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoalsConfig(AppConfig):
    name = "openprm.goals"
    verbose_name = _("Goals")

    def ready(self) -> None:
        from openprm.goals.tasks import sweeps  # noqa: F401  registers its due work
