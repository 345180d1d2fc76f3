from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "openprm.referrals"
    verbose_name = _("Co-sell referrals")

    def ready(self) -> None:
        # Registers the referral-expiry finder with the periodic sweep, D3's rule with the
        # opportunities a user may open, and the won-referral page with the registrations
        # queue's links.
        from openprm.referrals import selectors, sweeps  # noqa: F401
        from openprm.referrals.registration import services  # noqa: F401
