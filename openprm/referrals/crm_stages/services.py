"""The partner admin's own CRM stage names with their percentages (D9), which map a stage
given by name onto the standard stages.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.core.checks import required_text
from openprm.core.errors import Forbidden, NotFound, field_error
from openprm.core.events import record_event
from openprm.referrals.models import PartnerCrmStage


def require_partner_admin(actor: User) -> Organization:
    organization = actor.organization
    if not actor.is_partner_admin or organization is None:
        raise Forbidden(_("Only the partner admin sets the CRM stage mapping."))
    return organization


@transaction.atomic
def crm_stage_save(*, actor: User, name: str, percentage: int) -> PartnerCrmStage:
    """Adds the partner's CRM stage, or gives an existing one (same name) a new percentage."""
    organization = require_partner_admin(actor)
    name = required_text("name", name)
    if not 0 <= percentage <= 100:
        raise field_error("percentage", _("Give a percentage from 0 to 100."), "range")
    stage = PartnerCrmStage.objects.filter(organization=organization, name__iexact=name).first()
    stage = stage or PartnerCrmStage(organization=organization)
    stage.name = name
    stage.percentage = percentage
    stage.full_clean(exclude=["organization"], validate_unique=False)
    stage.save()
    record_event(
        kind="referral_crm_stage.saved",
        obj=stage,
        actor=actor,
        organization=organization,
        data={"name": name, "percentage": percentage},
    )
    return stage


@transaction.atomic
def crm_stage_delete(*, actor: User, stage: PartnerCrmStage) -> None:
    organization = require_partner_admin(actor)
    if stage.organization_id != organization.pk:
        raise NotFound()
    record_event(
        kind="referral_crm_stage.deleted",
        obj=stage,
        actor=actor,
        organization=organization,
        data={"name": stage.name},
    )
    stage.delete()
