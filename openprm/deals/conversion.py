"""C4: the vendor converts one of its own open opportunities into a shared deal: it becomes
assisted for the chosen partner, owned by one of the partner's people, registered on the
partner's behalf (so it counts in C7) and worked by the converting rep."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Membership, Organization, User
from openprm.accounts.roles import OrganizationKind, Role
from openprm.core.errors import Forbidden, NotFound
from openprm.core.events import record_event
from openprm.crm.models import Opportunity, OpportunityKind, OpportunityState, Source
from openprm.deals.assignment.selectors import lead_recipients
from openprm.deals.models import Deal, PipelineStage
from openprm.deals.registrations.services import registration_submit
from openprm.deals.services import deal_link
from openprm.notifications.kinds import DEAL_ASSIGNED
from openprm.notifications.services import notify

CONVERTERS = (Role.SALES_REP, Role.PROGRAM_ADMIN)


def vendor_opportunities(*, user: Any):
    """The vendor's own open opportunities: rows of the table that belong to no partner yet."""
    if getattr(user, "role", None) not in CONVERTERS:
        return Opportunity.objects.none()
    return Opportunity.objects.filter(
        organization=user.organization, state=OpportunityState.OPEN
    ).select_related("customer", "currency")


def vendor_opportunity_get(*, user: Any, opportunity_id: int) -> Opportunity:
    opportunity = vendor_opportunities(user=user).filter(pk=opportunity_id).first()
    if opportunity is None:
        raise NotFound()
    return opportunity


def partner_people():
    """Every active person of an active partner, with the partner's name to tell them apart."""
    partner_name = Membership.objects.filter(user=OuterRef("pk")).values("organization__name")
    return (
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(
                organization__kind=OrganizationKind.PARTNER, organization__is_active=True
            ).values("user"),
        )
        .annotate(partner_name=Subquery(partner_name[:1]))
        .order_by("partner_name", "full_name", "email")
    )


def owner_or_default(partner: Organization | None, owner: User | None) -> User | None:
    """No partner contact chosen: the deal goes to the partner's lead notification recipient
    (C4, C7)."""
    if owner is not None or partner is None or partner.kind != OrganizationKind.PARTNER:
        return owner
    return next(iter(lead_recipients(partner)), None)


def partner_owners(partner: Organization):
    return User.objects.filter(
        is_active=True, pk__in=Membership.objects.filter(organization=partner).values("user")
    ).order_by("full_name", "email")


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
    actor: Any,
    partner: Organization | None,
    owner: User | None = None,
    welcome_note: str,
    confirmed: bool,
    close_date: datetime.date | None = None,
) -> Deal:
    """ "Convert to shared deal" > partner > owner (or the partner's lead notification
    recipient) > welcome note > "Next" > the confirmation > "Add partner"."""
    if getattr(actor, "role", None) not in CONVERTERS:
        raise Forbidden(_("Only the vendor's sales reps convert deals."))
    owner = owner_or_default(partner, owner)
    errors = conversion_errors(partner=partner, owner=owner, confirmed=confirmed)
    if errors:
        raise ValidationError(errors)
    assert partner is not None
    assert owner is not None
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.organization_id != actor.organization.pk or opportunity.state != "open":
        raise NotFound()
    opportunity.organization = partner
    opportunity.kind = OpportunityKind.SHARED_DEAL
    opportunity.source = Source.ASSISTED
    opportunity.brought_by = actor.organization
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
        stage=PipelineStage.objects.filter(outcome=OpportunityState.OPEN).first(),
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
    recipients = {u.pk: u for u in lead_recipients(partner)}
    recipients[owner.pk] = owner
    for user in recipients.values():
        notify(
            recipient=user,
            kind=DEAL_ASSIGNED,
            cause=f"deal-converted:{deal.pk}",
            title=_("%(vendor)s shared a deal with you: %(deal)s")
            % {"vendor": actor.organization.name, "deal": opportunity.name},
            body=deal.introduction_note,
            link=deal_link(deal),
        )
    return deal
