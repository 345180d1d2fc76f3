"""File imports of contacts, shared deals and opportunities: every row goes through the service
that creates one at a time (crm's contacts and opportunities, deals' `deal_create`), inside one
transaction that is rolled back when any row fails or when the run is only the preview's check.

A row names its customer by DUNS number or domain (`matching.CustomerMatcher`); a row that
repeats a record already there updates it (a contact, by email) or leaves it as it is (an open
deal or an opportunity of the same name for the same customer).
"""

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Field

from openprm.core.api import IsoDate, StrictSchema
from openprm.core.errors import AppError, field_error
from openprm.core.money import to_minor
from openprm.crm import services as crm_services
from openprm.crm.imports import Batch, parse_rows, partners_by_slug
from openprm.crm.models import Contact, Opportunity, OpportunityKind, OpportunityState, Product
from openprm.deals import services as deal_services
from openprm.deals.models import Deal
from openprm.imports.matching import CustomerMatcher


class CustomerNamed(StrictSchema):
    customer_duns: str = Field("", max_length=9)
    customer_domain: str = Field("", max_length=200)


class ContactRow(CustomerNamed):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    job_title: str = Field("", max_length=120)


class DealRow(CustomerNamed):
    name: str = Field(min_length=1, max_length=200)
    contact_email: str = Field("", max_length=254)
    currency: str = Field(min_length=3, max_length=3)
    amount: Decimal
    mrr: Decimal
    close_date: IsoDate
    products: list[str] = Field(min_length=1)
    introduction_note: str = ""
    pain: str = ""
    next_steps: str = ""


class OpportunityRow(CustomerNamed):
    partner: str = Field(min_length=1, max_length=50)
    kind: OpportunityKind
    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(min_length=3, max_length=3)
    amount: Decimal = Decimal(0)
    mrr: Decimal = Decimal(0)
    state: OpportunityState = OpportunityState.OPEN
    closed_on: IsoDate | None = None


Write = Callable[[Any, dict[str, Any], Any], str]


def import_rows(
    *, rows: list[dict], model: type[StrictSchema], actor: Any, batch: Batch, context: Callable
) -> dict[str, int]:
    """Checks and writes every row in one transaction; any problem, or a dry run, undoes all."""
    errors = batch.errors
    parsed = parse_rows(rows, model, errors, batch.max_rows)
    found, write = context(actor, [row for row in parsed if row is not None])
    counts: Counter[str] = Counter()
    with transaction.atomic():
        for index, row in enumerate(parsed):
            if row is None:
                continue
            try:
                counts[write(row, found, actor)] += 1
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    for message in messages:
                        errors.add(index, "row" if field == "__all__" else field, message)
            except AppError as exc:
                errors.add(index, "row", str(exc.message))
            batch.progress(index + 1)
        if batch.dry_run or errors.problems:
            transaction.set_rollback(True)
    errors.raise_if_any()
    return {key: counts[key] for key in ("created", "updated", "unchanged")}


# --- contacts (partner) ------------------------------------------------------------------------


def contacts_context(actor: Any, rows: list[ContactRow]) -> tuple[dict, Write]:
    partner = crm_services.require_partner_member(actor)
    emails = {row.email.lower() for row in rows if row.email}
    own = Contact.objects.filter(organization=partner, erased_at__isnull=True)
    known = {c.email.lower(): c for c in own.exclude(email="") if c.email.lower() in emails}
    return {"customers": CustomerMatcher(rows), "contacts": known}, contact_write


def contact_write(row: ContactRow, found: dict[str, Any], actor: Any) -> str:
    data = row.model_dump(exclude={"customer_duns", "customer_domain"})
    data["customer"] = found["customers"].find(row, required=False)
    contact = found["contacts"].get(row.email.lower()) if row.email else None
    if contact is None:
        contact = crm_services.contact_create(actor=actor, **data)
        if row.email:
            found["contacts"][row.email.lower()] = contact
        return "created"
    crm_services.contact_update(contact=contact, actor=actor, **data)
    return "updated"


def contacts_import(*, rows: list[dict], actor: Any, batch: Batch) -> dict[str, int]:
    return import_rows(
        rows=rows, model=ContactRow, actor=actor, batch=batch, context=contacts_context
    )


# --- shared deals (partner) --------------------------------------------------------------------


def deals_context(actor: Any, rows: list[DealRow]) -> tuple[dict, Write]:
    partner = crm_services.require_partner_member(actor)
    codes = {code for row in rows for code in row.products}
    emails = {row.contact_email.lower() for row in rows if row.contact_email}
    contacts = Contact.objects.filter(organization=partner, erased_at__isnull=True)
    found = {
        "customers": CustomerMatcher(rows),
        "products": {p.code: p.pk for p in Product.objects.filter(code__in=codes)},
        "contacts": {c.email.lower(): c for c in contacts if c.email.lower() in emails},
        "open": {
            (customer_id, name.casefold())
            for customer_id, name in Deal.objects.filter(
                organization=partner, opportunity__state=OpportunityState.OPEN
            ).values_list("opportunity__customer_id", "opportunity__name")
        },
    }
    return found, deal_write


def deal_product_ids(row: DealRow, products: dict[str, int]) -> list[int]:
    unknown = [code for code in row.products if code not in products]
    if unknown:
        raise field_error("products", _("Unknown product “%s”.") % ", ".join(unknown), "unknown")
    return [products[code] for code in row.products]


def deal_write(row: DealRow, found: dict[str, Any], actor: Any) -> str:
    contact = None
    if row.contact_email:
        contact = found["contacts"].get(row.contact_email.lower())
        if contact is None:
            raise field_error(
                "contact_email", _("None of your contacts has this email."), "unknown"
            )
    customer = found["customers"].find(row, required=contact is None)
    if customer is None and contact is not None:
        customer = contact.customer
    key = (customer.pk if customer else None, row.name.strip().casefold())
    if key in found["open"]:
        return "unchanged"
    currency = crm_services.known_currency(row.currency)
    deal_services.deal_create(
        actor=actor,
        customer=customer,
        contact=contact,
        name=row.name,
        amount_minor=to_minor(row.amount, currency.code, field="amount"),
        mrr_minor=to_minor(row.mrr, currency.code, field="mrr"),
        currency=currency,
        close_date=row.close_date,
        product_ids=deal_product_ids(row, found["products"]),
        introduction_note=row.introduction_note,
        pain=row.pain,
        next_steps=row.next_steps,
    )
    found["open"].add(key)
    return "created"


def deals_import(*, rows: list[dict], actor: Any, batch: Batch) -> dict[str, int]:
    return import_rows(rows=rows, model=DealRow, actor=actor, batch=batch, context=deals_context)


# --- opportunities (vendor) --------------------------------------------------------------------


def opportunities_context(actor: Any, rows: list[OpportunityRow]) -> tuple[dict, Write]:
    crm_services.require_program_admin(actor)
    partners = partners_by_slug({row.partner for row in rows})
    known = Opportunity.objects.filter(organization__in=partners.values())
    found = {
        "customers": CustomerMatcher(rows),
        "partners": partners,
        "known": {
            (partner_id, customer_id, name.casefold())
            for partner_id, customer_id, name in known.values_list(
                "organization_id", "customer_id", "name"
            )
        },
    }
    return found, opportunity_write


def opportunity_write(row: OpportunityRow, found: dict[str, Any], actor: Any) -> str:
    partner = found["partners"].get(row.partner)
    if partner is None:
        raise field_error("partner", _("Unknown partner “%s”.") % row.partner, "unknown")
    customer = found["customers"].find(row, required=True)
    key = (partner.pk, customer.pk, row.name.strip().casefold())
    if key in found["known"]:
        return "unchanged"
    currency = crm_services.known_currency(row.currency)
    opportunity = crm_services.opportunity_create(
        partner=partner,
        customer=customer,
        kind=row.kind,
        name=row.name,
        currency=currency,
        actor=actor,
        amount_minor=to_minor(row.amount, currency.code, field="amount"),
        mrr_minor=to_minor(row.mrr, currency.code, field="mrr"),
    )
    if row.state != OpportunityState.OPEN:
        crm_services.opportunity_close(
            opportunity=opportunity,
            state=row.state,
            closed_on=row.closed_on,
            actor=actor,
        )
    found["known"].add(key)
    return "created"


def opportunities_import(*, rows: list[dict], actor: Any, batch: Batch) -> dict[str, int]:
    return import_rows(
        rows=rows, model=OpportunityRow, actor=actor, batch=batch, context=opportunities_context
    )
