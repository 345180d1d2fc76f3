from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "openprm.points"
    label = "points"
    verbose_name = _("Points and tiers")

    def ready(self) -> None:
        # Register their due work with the periodic sweep.
        from openprm.points import sweeps  # noqa: F401
        from openprm.points.commissions import sweeps as commission_sweeps  # noqa: F401
