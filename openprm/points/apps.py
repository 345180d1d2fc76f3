from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "openprm.points"
    label = "points"
    verbose_name = _("Points and tiers")

    def ready(self) -> None:
        from openprm.points import sweeps  # noqa: F401  registers its due work
