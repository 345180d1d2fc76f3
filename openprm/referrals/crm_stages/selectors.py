"""A partner's own CRM stage names (D9), and the standard stage each name or percentage maps
to.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.errors import field_error
from openprm.referrals.crm_stages.mapping import standard_stage_for
from openprm.referrals.models import PartnerCrmStage, SalesStage
from openprm.referrals.stages.selectors import sales_stages


def standard_stage_of(*, percentage: int) -> SalesStage | None:
    """D9: the standard stage a partner's CRM stage of this percentage maps to."""
    return standard_stage_for(percentage, list(sales_stages()))


def crm_stages_for_user(*, user: User) -> QuerySet[PartnerCrmStage]:
    return PartnerCrmStage.objects.for_user(user).order_by("percentage", "name")


def crm_stage_get(*, user: User, stage_id: int) -> PartnerCrmStage:
    return get_for_user_or_404(PartnerCrmStage.objects.all(), user, pk=stage_id)


def mapped_stage(
    organization: Organization, *, crm_stage: str | None = None, percentage: int | None = None
) -> SalesStage | None:
    """The standard stage a partner's CRM stage name, or a percentage, maps to."""
    if crm_stage:
        own = organization.crm_stages.filter(name__iexact=crm_stage.strip()).first()
        if own is None:
            raise field_error(
                "crm_stage",
                _("“%(name)s” is not one of your CRM stages.") % {"name": crm_stage},
                "unknown",
            )
        percentage = own.percentage
    if percentage is None:
        raise field_error("stage_percentage", _("This field is required."), "required")
    if not 0 <= percentage <= 100:
        raise field_error("stage_percentage", _("Give a percentage from 0 to 100."), "range")
    return standard_stage_for(percentage, list(sales_stages()))
