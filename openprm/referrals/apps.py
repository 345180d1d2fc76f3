from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "openprm.referrals"
    verbose_name = "Co-sell referrals"

    def ready(self) -> None:
        # Registers the referral-expiry finder with the periodic sweep.
        from openprm.referrals import sweeps  # noqa: F401
