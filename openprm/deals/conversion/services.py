"""C4: the vendor converts one of its own open opportunities into a shared deal: it becomes
assisted for the chosen partner, owned by one of the partner's people, registered on the
partner's behalf (so it counts in C7) and worked by the converting rep."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.accounts.roles import OrganizationKind
from openprm.core.errors import Forbidden, NotFound
from openprm.core.events import record_event
from openprm.crm.models import Opportunity, OpportunityKind, Source
from openprm.deals.assignment.selectors import lead_recipients
from openprm.deals.conversion.selectors import CONVERTERS, owner_or_default, partner_owners
from openprm.deals.models import Deal
from openprm.deals.registrations.services import registration_submit
from openprm.deals.selectors import first_open_stage
from openprm.deals.services import deal_link
from openprm.notifications.kinds import DEAL_ASSIGNED
from openprm.notifications.services import notify


def conversion_errors(
    *, partner: Organization | None, owner: User | None, confirmed: bool
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if partner is None or partner.kind != OrganizationKind.PARTNER or not partner.is_active:
        errors["partner"] = [ValidationError(_("Choose a partner."), code="required")]
    elif owner is None or not partner_owners(partner).filter(pk=owner.pk).exists():
        errors["owner"] = [
            ValidationError(_("Choose one of the partner's people."), code="invalid")
        ]
    if not confirmed:
        errors["confirmed"] = [
            ValidationError(
                _(
                    "Confirm that you have reached out to this partner to confirm availability"
                    " to work the deal."
                ),
                code="required",
            )
        ]
    return errors


@transaction.atomic
def deal_convert(
    *,
    opportunity: Opportunity,
    actor: User,
    partner: Organization | None,
    owner: User | None = None,
    welcome_note: str,
    confirmed: bool,
    close_date: datetime.date | None = None,
) -> Deal:
    """ "Convert to shared deal" > partner > owner (or the partner's lead notification
    recipient) > welcome note > "Next" > the confirmation > "Add partner"."""
    vendor = actor.organization
    if vendor is None or actor.role not in CONVERTERS:
        raise Forbidden(_("Only the vendor's sales reps convert deals."))
    owner = owner_or_default(partner, owner)
    errors = conversion_errors(partner=partner, owner=owner, confirmed=confirmed)
    if errors:
        raise ValidationError(errors)
    if partner is None or owner is None:  # conversion_errors has named the missing one
        raise ValidationError(errors)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.organization_id != vendor.pk or opportunity.state != "open":
        raise NotFound()
    opportunity.organization = partner
    opportunity.kind = OpportunityKind.SHARED_DEAL
    opportunity.source = Source.ASSISTED
    opportunity.brought_by = vendor
    opportunity.bump_version()
    opportunity.full_clean()
    opportunity.save()
    products = list(opportunity.products.all())
    registration_submit(opportunity=opportunity, products=products, actor=owner)
    deal = Deal.objects.create(
        opportunity=opportunity,
        organization=partner,
        close_date=close_date or timezone.localdate() + datetime.timedelta(days=60),
        introduction_note=(welcome_note or "").strip(),
        stage=first_open_stage(),
        assigned_rep=actor,
        partner_owner=owner,
    )
    record_event(
        kind="deal.converted",
        obj=deal,
        actor=actor,
        organization=partner,
        data={"owner": owner.pk, "opportunity": opportunity.pk},
    )
    notify_converted_deal(deal, owner=owner, vendor=vendor)
    return deal


def notify_converted_deal(deal: Deal, *, owner: User, vendor: Organization) -> None:
    """The partner's lead notification recipients and the deal's new owner hear of it."""
    recipients = {u.pk: u for u in lead_recipients(deal.organization)}
    recipients[owner.pk] = owner
    for user in recipients.values():
        notify(
            recipient=user,
            kind=DEAL_ASSIGNED,
            cause=f"deal-converted:{deal.pk}",
            title=_("%(vendor)s shared a deal with you: %(deal)s")
            % {"vendor": vendor.name, "deal": deal.opportunity.name},
            body=deal.introduction_note,
            link=deal_link(deal),
        )
