"""Sending a referral to a partner (D1): a vendor sales rep or a partner sends it; it arrives
on the receiver's Inbound tab as Received, with the date it expires.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Location, Organization, User
from openprm.core.checks import (
    FieldErrors,
    positive_amount,
    required_text,
    unique_external_id,
)
from openprm.core.errors import Forbidden, field_error
from openprm.crm.models import Currency, Customer, OpportunityKind
from openprm.crm.services import opportunity_create
from openprm.referrals.checks import (
    Contact,
    checked_contact,
    chosen_customer,
    known,
    partner_location,
)
from openprm.referrals.lifecycle.moves import perform
from openprm.referrals.models import Direction, Referral, ReferralProgram
from openprm.referrals.notifications import notify_received
from openprm.referrals.selectors import can_send


def require_sender(actor: User) -> Organization:
    organization = actor.organization
    if organization is None or not can_send(actor):
        raise Forbidden(_("Only vendor sales reps and partners send referrals."))
    return organization


def receiving_partner(sender: Organization, partner: Organization | None) -> Organization:
    if partner is None or not partner.is_active or partner.kind != "partner":
        raise field_error("partner", _("Choose an active partner."), "invalid")
    if partner.pk == sender.pk:
        raise field_error("partner", _("A referral goes to another partner."), "own")
    return partner


def default_location(partner: Organization, customer: Customer) -> Location | None:
    """The receiver's office in the customer's country, else its first office."""
    locations = list(partner.locations.all())
    same_country = [loc for loc in locations if loc.country == customer.country]
    choices = same_country or locations
    return choices[0] if choices else None


def receiving_location(
    partner: Organization, customer: Customer, location: Location | int | None
) -> Location:
    """The sender's choice among the partner's own locations, else `default_location`."""
    if location is not None:
        chosen_location: Location = partner_location(partner, location, field="location")
        return chosen_location
    chosen = default_location(partner, customer)
    if chosen is None:
        raise field_error("location", _("The partner has no location."), "required")
    return chosen


def sent_vendor_crm_id(actor: User, receiver: Organization, value: str) -> str:
    """D9: the vendor's sender may name the referral's id in the vendor's CRM, unique among
    the receiver's referrals; a partner has no say in the vendor's ids."""
    if value.strip() and not getattr(actor, "is_vendor_staff", False):
        raise field_error("vendor_crm_id", _("Only the vendor sets its CRM ID."), "forbidden")
    others = Referral.objects.filter(organization=receiver)
    return unique_external_id("vendor_crm_id", value, others)


@transaction.atomic
def referral_send(
    *,
    actor: User,
    partner: Organization | None,
    customer: Customer | None,
    name: str,
    amount_minor: int | None,
    currency: Currency | str,
    notes: str,
    location: Location | int | None = None,
    contact: Contact | None = None,
    consent: bool = False,
    estimated_close_date: datetime.date | None = None,
    vendor_crm_id: str = "",
) -> Referral:
    """D1 "Send referral": it arrives on the partner's Inbound tab as Received, with the date
    it expires; for the receiver it is an assisted opportunity (with the vendor's CRM id)."""
    sender = require_sender(actor)
    errors = FieldErrors()
    receiver = errors.check(receiving_partner, sender, partner)
    name = errors.check(required_text, "name", name)
    notes = errors.check(required_text, "notes", notes)
    amount_minor = errors.check(positive_amount, "value", amount_minor)
    currency = errors.check(known, currency)
    contact = errors.check(checked_contact, contact or Contact(), required=False, consent=consent)
    customer = errors.check(chosen_customer, customer)
    if receiver is not None and customer is not None:
        location = errors.check(receiving_location, receiver, customer, location)
    if receiver is not None:
        vendor_crm_id = errors.check(sent_vendor_crm_id, actor, receiver, vendor_crm_id)
    errors.raise_any()
    opportunity = opportunity_create(
        partner=receiver,
        customer=customer,
        kind=OpportunityKind.CO_SELL,
        name=name,
        currency=currency,
        actor=actor,
        brought_by=sender,
        amount_minor=amount_minor,
    )
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=ReferralProgram.current().response_days)
    referral = Referral(
        opportunity=opportunity,
        organization=receiver,
        direction=Direction.INBOUND,
        sender_organization=sender,
        sent_by=actor,
        location=location,
        **contact.referral_fields(actor, now),
        estimated_close_date=estimated_close_date,
        notes=notes,
        expires_at=expires_at,
        vendor_crm_id=vendor_crm_id,
    )
    data = {"from_organization": sender.pk, "expires_at": expires_at.isoformat()}
    move = perform(referral=referral, action="send", actor=actor, data=data)
    transaction.on_commit(lambda: notify_received(move.referral, move.transition))
    return move.referral
