"""Whether an organization's users must sign in with a second factor."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openprm.accounts.models import Organization
from openprm.core.models import TimestampedModel


class TwoFactorRequirement(TimestampedModel):
    """One row per organization that has ever set it. On the vendor's row, `partners_required`
    is the program admin's requirement for every partner organization."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="two_factor_requirement"
    )
    required = models.BooleanField(_("require two-factor sign-in"), default=False)
    partners_required = models.BooleanField(
        _("require two-factor sign-in for every partner"), default=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        app_label = "accounts"

    def __str__(self) -> str:
        return str(self.organization)
