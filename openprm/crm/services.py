"""Writes for the directory, the partners' own records and the opportunities table."""

import datetime
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from openprm.accounts.models import Organization, User
from openprm.core.checks import unique_external_id
from openprm.core.errors import AppError, Forbidden, field_error
from openprm.core.events import record_event
from openprm.crm.models import (
    EXTERNAL_ID_FIELDS,
    Contact,
    Currency,
    Customer,
    CustomerNote,
    Market,
    MarketType,
    Opportunity,
    OpportunityState,
    Product,
    Source,
)

CUSTOMER_FIELDS = (
    "name",
    "domain",
    "address",
    "city",
    "postal_code",
    "country",
    "duns",
    "currency",
    "vendor_crm_id",
)
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "customer",
    *EXTERNAL_ID_FIELDS,
)


# --- shared lookups, each failing as an error on the named field -------------------------------


def known_country(value: str, *, field: str = "country") -> str:
    code = (value or "").strip().upper()
    if code not in dict(countries):
        raise field_error(field, _("Unknown country “%(value)s”.") % {"value": value}, "unknown")
    return code


def known_currency(value: str, *, field: str = "currency") -> Currency:
    currency = Currency.objects.filter(code=(value or "").strip().upper()).first()
    if currency is None:
        raise field_error(field, _("Unknown currency “%(value)s”.") % {"value": value}, "unknown")
    return currency


def market_type_for(country: str) -> str:
    """A customer's market is decided by its country (SPEC E12)."""
    market = Market.objects.filter(country=country).first()
    return market.market_type if market else MarketType.STANDARD


def market_types_for(countries: set[str]) -> dict[str, str]:
    """`market_type_for` of many countries in one query (an import's whole file)."""
    types = {country: str(MarketType.STANDARD) for country in countries}
    for market in Market.objects.filter(country__in=countries):
        types[str(market.country)] = market.market_type
    return types


def require_program_admin(user: User) -> None:
    if not user.is_program_admin:
        raise Forbidden(_("Only the program admin can change the customer directory."))


def require_partner_member(user: User) -> Organization:
    """Partner records are written by the partner's own people; vendor staff only read them."""
    organization = user.organization
    if not user.is_partner or organization is None:
        raise Forbidden(_("Only members of a partner organization can change its records."))
    return organization


# --- customer directory ------------------------------------------------------------------------


def apply_customer_data(customer: Customer, data: dict[str, Any]) -> None:
    unknown = set(data) - set(CUSTOMER_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be set."), "unknown_field")
    for field, value in data.items():
        if field == "country":
            customer.country = known_country(value)
            customer.market_type = market_type_for(customer.country)
        elif field == "currency":
            customer.currency = known_currency(value)
        elif field == "duns":
            # Full-width digits typed on a Japanese keyboard are the same number.
            customer.duns = unicodedata.normalize("NFKC", value or "").strip()
        else:
            setattr(customer, field, (value or "").strip())
    if customer.duns:
        duplicate = Customer.objects.filter(duns=customer.duns).exclude(pk=customer.pk)
        if duplicate.exists():
            raise field_error(
                "duns", _("A customer with this DUNS number already exists."), "duplicate"
            )
    others = Customer.objects.exclude(pk=customer.pk)
    customer.vendor_crm_id = unique_external_id("vendor_crm_id", customer.vendor_crm_id, others)
    customer.full_clean()


def save_customer(customer: Customer) -> None:
    """A concurrent request may take the DUNS or the CRM id between the check and the save."""
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError as exc:
        if "vendor_crm_id" in str(exc):
            raise field_error(
                "vendor_crm_id", _("Another record already has this CRM ID."), "duplicate"
            ) from None
        raise field_error(
            "duns", _("A customer with this DUNS number already exists."), "duplicate"
        ) from None


def new_directory_customer(*, actor: User, organization: Any, data: dict[str, Any]) -> Customer:
    for required in ("name", "country", "currency"):
        if not data.get(required):
            raise field_error(required, _("This field is required."), "required")
    customer = Customer()
    apply_customer_data(customer, data)
    save_customer(customer)
    record_event(kind="customer.created", obj=customer, actor=actor, organization=organization)
    return customer


@transaction.atomic
def customer_create(*, actor: User, **data: Any) -> Customer:
    require_program_admin(actor)
    return new_directory_customer(actor=actor, organization=None, data=data)


@transaction.atomic
def directory_customer_add(*, actor: User, **data: Any) -> Customer:
    """A partner adds the customer entity its wizard did not find (D2 step 1), with its DUNS
    number so the next partner finds the exact entity; it stays the vendor's directory entry."""
    organization = require_partner_member(actor)
    return new_directory_customer(actor=actor, organization=organization, data=data)


@transaction.atomic
def customer_update(
    *, customer: Customer, actor: User, expected_version: int | None = None, **data: Any
) -> Customer:
    require_program_admin(actor)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    customer.check_version(expected_version)
    apply_customer_data(customer, data)
    customer.bump_version()
    save_customer(customer)
    record_event(kind="customer.updated", obj=customer, actor=actor, data={"fields": sorted(data)})
    return customer


# --- partner contacts and notes ----------------------------------------------------------------


def apply_contact_data(contact: Contact, data: dict[str, Any]) -> None:
    unknown = set(data) - set(CONTACT_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be set."), "unknown_field")
    for field, value in data.items():
        if field == "customer":
            contact.customer = customer_from_value(value)
        else:
            setattr(contact, field, (value or "").strip())
    others = Contact.objects.filter(organization=contact.organization).exclude(pk=contact.pk)
    for field in EXTERNAL_ID_FIELDS:
        setattr(contact, field, unique_external_id(field, getattr(contact, field), others))
    contact.full_clean()


def customer_from_value(value: Customer | int | None) -> Customer | None:
    if value is None or isinstance(value, Customer):
        return value
    customer = Customer.objects.filter(pk=value).first()
    if customer is None:
        raise field_error("customer", _("Unknown customer."), "unknown")
    return customer


@transaction.atomic
def contact_create(*, actor: User, **data: Any) -> Contact:
    organization = require_partner_member(actor)
    contact = Contact(organization=organization, owner=actor)
    apply_contact_data(contact, data)
    contact.save()
    record_event(kind="contact.created", obj=contact, actor=actor, organization=organization)
    return contact


@transaction.atomic
def contact_update(
    *, contact: Contact, actor: User, expected_version: int | None = None, **data: Any
) -> Contact:
    organization = require_partner_member(actor)
    if contact.organization_id != organization.pk:
        raise Forbidden(_("Only the partner that owns this contact can change it."))
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.check_version(expected_version)
    apply_contact_data(contact, data)
    contact.bump_version()
    contact.save()
    record_event(
        kind="contact.updated",
        obj=contact,
        actor=actor,
        organization=organization,
        data={"fields": sorted(data)},
    )
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact, actor: User, expected_version: int | None = None) -> None:
    organization = require_partner_member(actor)
    if contact.organization_id != organization.pk:
        raise Forbidden(_("Only the partner that owns this contact can delete it."))
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    contact.check_version(expected_version)
    record_event(kind="contact.deleted", obj=contact, actor=actor, organization=organization)
    contact.delete()


@transaction.atomic
def customer_note_create(*, customer: Customer, actor: User, body: str) -> CustomerNote:
    organization = require_partner_member(actor)
    note = CustomerNote(
        organization=organization, customer=customer, author=actor, body=(body or "").strip()
    )
    note.full_clean()
    note.save()
    record_event(
        kind="customer_note.created",
        obj=note,
        actor=actor,
        organization=organization,
        data={"customer": customer.pk},
    )
    return note


# --- the opportunities table -------------------------------------------------------------------


def opportunity_source(*, partner: Organization, brought_by: Organization | None) -> str:
    """SPEC A3b, the one place it is decided: sourced when the partner itself brought the
    opportunity; assisted when the vendor or another partner brought it and this partner works it.
    """
    if brought_by is not None and brought_by.pk == partner.pk:
        return Source.SOURCED
    return Source.ASSISTED


@transaction.atomic
def opportunity_create(
    *,
    partner: Organization,
    customer: Customer,
    kind: str,
    name: str,
    currency: Currency | str,
    actor: User | None = None,
    brought_by: Organization | None = None,
    amount_minor: int = 0,
    mrr_minor: int = 0,
    products: list[Product] | None = None,
    opened_at: datetime.datetime | None = None,
) -> Opportunity:
    """The shared entry point for deals and referrals; `brought_by` defaults to the actor's
    organization, so a partner's own creation is sourced and a vendor's or another partner's is
    assisted."""
    if brought_by is None and actor is not None:
        brought_by = actor.organization
    if not isinstance(currency, Currency):
        currency = known_currency(currency)
    opportunity = Opportunity(
        organization=partner,
        customer=customer,
        kind=kind,
        source=opportunity_source(partner=partner, brought_by=brought_by),
        brought_by=brought_by,
        name=(name or "").strip(),
        currency=currency,
        amount_minor=amount_minor,
        mrr_minor=mrr_minor,
        opened_at=opened_at or timezone.now(),
        created_by=actor,
    )
    check_not_negative(amount_minor=amount_minor, mrr_minor=mrr_minor)
    opportunity.full_clean()
    opportunity.save()
    if products:
        opportunity.products.set(products)
    record_event(
        kind="opportunity.created",
        obj=opportunity,
        actor=actor,
        organization=partner,
        data={"source": opportunity.source, "kind": kind},
    )
    return opportunity


def check_not_negative(**amounts: int | None) -> None:
    for field, value in amounts.items():
        if value is not None and value < 0:
            raise field_error(field, _("Must not be negative."), "negative")


@transaction.atomic
def opportunity_close(
    *,
    opportunity: Opportunity,
    state: str,
    closed_on: datetime.date | None,
    actor: User | None = None,
    mrr_minor: int | None = None,
    amount_minor: int | None = None,
    expected_version: int | None = None,
) -> Opportunity:
    """Won needs a close date and the MRR won; lost needs a close date."""
    if state not in (OpportunityState.WON, OpportunityState.LOST):
        raise field_error("state", _("Close as won or lost."), "invalid_choice")
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    opportunity.check_version(expected_version)
    if opportunity.state != OpportunityState.OPEN:
        raise AppError(_("This opportunity is already closed."), code="already_closed")
    check_not_negative(mrr_minor=mrr_minor, amount_minor=amount_minor)
    errors: dict[str, list[ValidationError]] = {}
    if closed_on is None:
        errors["closed_on"] = [ValidationError(_("A close date is required."), code="required")]
    won_mrr = opportunity.mrr_minor if mrr_minor is None else mrr_minor
    if state == OpportunityState.WON and won_mrr <= 0:
        errors["mrr_minor"] = [
            ValidationError(_("A won opportunity needs its MRR."), code="required")
        ]
    if errors:
        raise ValidationError(errors)
    opportunity.state = state
    opportunity.closed_on = closed_on
    if mrr_minor is not None:
        opportunity.mrr_minor = mrr_minor
    if amount_minor is not None:
        opportunity.amount_minor = amount_minor
    opportunity.bump_version()
    opportunity.full_clean()
    opportunity.save()
    record_event(
        kind=f"opportunity.{state}",
        obj=opportunity,
        actor=actor,
        organization=opportunity.organization,
        data={"closed_on": closed_on.isoformat() if closed_on else None},
    )
    return opportunity
