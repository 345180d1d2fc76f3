"""Shared-deal writes: create from a record (C1, C2), change product (C3), key information and
pipeline stage (C5, C10). The opportunity row is written through crm's services.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.core.checks import FieldErrors, unique_external_id
from openprm.core.dates import program_today
from openprm.core.errors import AppError, NotFound, field_error
from openprm.core.events import record_event
from openprm.crm.models import (
    EXTERNAL_ID_FIELDS,
    Contact,
    Currency,
    Customer,
    Opportunity,
    OpportunityKind,
    OpportunityState,
    Product,
)
from openprm.crm.services import opportunity_close, opportunity_create, require_partner_member
from openprm.deals.assignment.selectors import lead_recipients
from openprm.deals.assignment.services import assign_rep
from openprm.deals.models import Deal, PipelineStage
from openprm.deals.registrations.services import registration_submit
from openprm.deals.selectors import first_open_stage, require_deal_worker
from openprm.notifications.kinds import DEAL_ASSIGNED
from openprm.notifications.services import notify


def sold_products(product_ids: list[int], *, field: str = "products") -> list[Product]:
    """Product interest comes from the vendor catalog: active products only, at least one."""
    ids = {int(pk) for pk in product_ids or []}
    if not ids:
        raise field_error(field, _("Choose at least one product."), "required")
    products = list(Product.objects.filter(pk__in=ids, is_active=True))
    if len(products) != len(ids):
        raise field_error(field, _("The vendor does not sell this product."), "not_sold")
    return products


def key_info_errors(
    *, name: str | None, amount_minor: int | None, mrr_minor: int | None
) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}
    if name is not None and not name.strip():
        errors["name"] = [ValidationError(_("This field is required."), code="required")]
    for field, value in (("amount", amount_minor), ("mrr", mrr_minor)):
        if value is not None and value <= 0:
            errors[field] = [ValidationError(_("Must be more than zero."), code="not_positive")]
    return errors


def new_deal_customer(
    *, partner: Organization, customer: Customer | None, contact: Contact | None
) -> Customer:
    """The customer a new deal is for: the one named, or the partner's own contact's."""
    if contact is not None:
        if contact.organization_id != partner.pk:
            raise NotFound()
        customer = customer or contact.customer
    if customer is None:
        raise field_error("customer", _("A shared deal needs a customer."), "required")
    return customer


def new_deal_products(
    *, name: str, amount_minor: int, mrr_minor: int, product_ids: list[int]
) -> list[Product]:
    """A new deal's key information and product interest, checked together so the form shows
    every error at once."""
    errors = key_info_errors(name=name, amount_minor=amount_minor, mrr_minor=mrr_minor)
    try:
        products = sold_products(product_ids)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    return products


def deal_link(deal: Deal) -> str:
    return reverse("deals:detail", args=[deal.pk])


@transaction.atomic
def deal_create(
    *,
    actor: User,
    name: str,
    amount_minor: int,
    mrr_minor: int,
    currency: Currency,
    close_date: datetime.date,
    product_ids: list[int],
    customer: Customer | None = None,
    contact: Contact | None = None,
    introduction_note: str = "",
    pain: str = "",
    next_steps: str = "",
    vendor_crm_id: str = "",
    partner_crm_id: str = "",
) -> Deal:
    """C1 + C2: the opportunity (sourced), the deal, its registration and its rep, at once."""
    partner = require_partner_member(actor)
    customer = new_deal_customer(partner=partner, customer=customer, contact=contact)
    products = new_deal_products(
        name=name, amount_minor=amount_minor, mrr_minor=mrr_minor, product_ids=product_ids
    )
    opportunity = opportunity_create(
        partner=partner,
        customer=customer,
        kind=OpportunityKind.SHARED_DEAL,
        name=name,
        currency=currency,
        actor=actor,
        amount_minor=amount_minor,
        mrr_minor=mrr_minor,
        products=products,
    )
    registration_submit(opportunity=opportunity, products=products, actor=actor)
    deal = Deal(
        opportunity=opportunity,
        organization=partner,
        contact=contact,
        close_date=close_date,
        introduction_note=(introduction_note or "").strip(),
        pain=(pain or "").strip(),
        next_steps=(next_steps or "").strip(),
        stage=first_open_stage(),
        assigned_rep=assign_rep(customer=customer, products=products),
        vendor_crm_id=vendor_crm_id,
        partner_crm_id=partner_crm_id,
    )
    check_external_ids(deal)
    deal.full_clean(exclude=["opportunity", "organization"])
    deal.save()
    record_event(
        kind="deal.created",
        obj=deal,
        actor=actor,
        organization=partner,
        data={"rep": deal.assigned_rep_id, "products": sorted(p.pk for p in products)},
    )
    notify_new_deal(deal)
    return deal


def check_external_ids(deal: Deal) -> None:
    """D9: each side's CRM id names one deal of the partner; both are trimmed."""
    others = Deal.objects.filter(organization_id=deal.organization_id).exclude(pk=deal.pk)
    errors = FieldErrors()
    for field in EXTERNAL_ID_FIELDS:
        setattr(deal, field, errors.check(unique_external_id, field, getattr(deal, field), others))
    errors.raise_any()


def notify_new_deal(deal: Deal) -> None:
    recipients = {u.pk: u for u in lead_recipients(deal.organization)}
    if deal.assigned_rep is not None:
        recipients[deal.assigned_rep.pk] = deal.assigned_rep
    title = _("New shared deal: %(deal)s") % {"deal": deal.opportunity.name}
    for user in recipients.values():
        notify(
            recipient=user,
            kind=DEAL_ASSIGNED,
            cause=f"deal-created:{deal.pk}",
            title=title,
            body=str(deal.opportunity.customer),
            link=deal_link(deal),
        )


def locked_deal(deal: Deal, expected_version: int | None) -> Deal:
    """The deal locked for a write the caller has checked with require_deal_worker."""
    deal = Deal.objects.select_for_update().select_related("opportunity").get(pk=deal.pk)
    deal.check_version(expected_version)
    return deal


def locked_open_deal(deal: Deal, expected_version: int | None) -> Deal:
    deal = locked_deal(deal, expected_version)
    if deal.opportunity.state != OpportunityState.OPEN:
        raise AppError(_("This deal is closed."), code="already_closed")
    return deal


def touch(deal: Deal) -> None:
    """Both rows change together, so both sides' ETags move."""
    opportunity = deal.opportunity
    opportunity.bump_version()
    opportunity.full_clean()
    opportunity.save()
    deal.bump_version()
    deal.save()


@transaction.atomic
def deal_change_product(
    *, deal: Deal, actor: User, product_ids: list[int], expected_version: int | None = None
) -> Deal:
    """C3: product interest stays editable while the deal is open; the change is in history."""
    require_deal_worker(actor, deal)
    deal = locked_open_deal(deal, expected_version)
    products = sold_products(product_ids)
    if {p.pk for p in products} == set(deal.opportunity.products.values_list("pk", flat=True)):
        return deal  # the same products: nothing changes, nothing is recorded
    before = sorted(deal.opportunity.products.values_list("name", flat=True))
    deal.opportunity.products.set(products)
    touch(deal)
    record_event(
        kind="deal.product_changed",
        obj=deal,
        actor=actor,
        organization=deal.organization,
        data={"from": before, "to": sorted(p.name for p in products)},
    )
    return deal


UPDATABLE = (
    "name",
    "amount_minor",
    "mrr_minor",
    "close_date",
    "compensation_eligible",
    *EXTERNAL_ID_FIELDS,
)


def checked_update(actor: User, data: dict[str, Any]) -> None:
    unknown = set(data) - set(UPDATABLE)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be set."), "unknown_field")
    if "compensation_eligible" in data and not actor.is_vendor_staff:
        raise field_error(
            "compensation_eligible", _("The vendor sets compensation eligibility."), "forbidden"
        )
    errors = key_info_errors(
        name=data.get("name"),
        amount_minor=data.get("amount_minor"),
        mrr_minor=data.get("mrr_minor"),
    )
    if errors:
        raise ValidationError(errors)


def locked_to_update(deal: Deal, expected_version: int | None, data: dict[str, Any]) -> Deal:
    """D9: a closed deal's CRM ids still change, as the CRMs keep their records; nothing else
    of it does."""
    deal = locked_deal(deal, expected_version)
    if deal.opportunity.state != OpportunityState.OPEN and not set(data) <= set(EXTERNAL_ID_FIELDS):
        raise AppError(
            _("This deal is closed: only its CRM IDs can still change."), code="already_closed"
        )
    return deal


@transaction.atomic
def deal_update(
    *, deal: Deal, actor: User, expected_version: int | None = None, **data: Any
) -> Deal:
    """C5: key information changed by either side; compensation eligibility by the vendor. A
    change that changes nothing writes nothing: no new version, no event, no webhook."""
    require_deal_worker(actor, deal)
    checked_update(actor, data)
    deal = locked_to_update(deal, expected_version, data)
    opportunity: Opportunity = deal.opportunity
    before = key_info(deal)
    for field in ("name", "amount_minor", "mrr_minor"):
        if field in data:
            setattr(opportunity, field, data[field].strip() if field == "name" else data[field])
    if "close_date" in data:
        deal.close_date = data["close_date"]
    if "compensation_eligible" in data:
        deal.compensation_eligible = bool(data["compensation_eligible"])
    for field in EXTERNAL_ID_FIELDS:
        if field in data:
            setattr(deal, field, data[field] or "")
    check_external_ids(deal)
    after = key_info(deal)
    changes = {f: [before[f], after[f]] for f in UPDATABLE if before[f] != after[f]}
    if not changes:
        return deal
    touch(deal)
    record_event(
        kind="deal.updated",
        obj=deal,
        actor=actor,
        organization=deal.organization,
        data={"fields": sorted(changes), "changes": changes},
    )
    return deal


@transaction.atomic
def deal_edit(
    *,
    deal: Deal,
    actor: User,
    expected_version: int | None = None,
    product_ids: list[int] | None = None,
    **data: Any,
) -> Deal:
    """Key information and product interest in one go (the API's PATCH): both change or
    neither; each change is its own history entry, and the version is checked once."""
    if data:
        deal = deal_update(deal=deal, actor=actor, expected_version=expected_version, **data)
        expected_version = None
    if product_ids is not None:
        deal = deal_change_product(
            deal=deal, actor=actor, product_ids=product_ids, expected_version=expected_version
        )
    return deal


def key_info(deal: Deal) -> dict[str, Any]:
    """The updatable key information as JSON values, so the history can say from what to what."""
    opportunity = deal.opportunity
    return {
        "name": opportunity.name,
        "amount_minor": opportunity.amount_minor,
        "mrr_minor": opportunity.mrr_minor,
        "close_date": deal.close_date.isoformat(),
        "compensation_eligible": deal.compensation_eligible,
        "vendor_crm_id": deal.vendor_crm_id,
        "partner_crm_id": deal.partner_crm_id,
    }


@transaction.atomic
def deal_move_stage(
    *, deal: Deal, actor: User, stage: PipelineStage, expected_version: int | None = None
) -> Deal:
    """C10: an open stage moves the deal; a won or lost stage closes its opportunity, and won
    needs the close date and MRR (crm's opportunity_close checks them).

    A deal closed before its expected close date closes today: the sale happened now, and its
    points, revenue and commission count from today, not from a day still to come.
    """
    require_deal_worker(actor, deal)
    deal = locked_open_deal(deal, expected_version)
    previous = deal.stage.name if deal.stage else ""
    deal.stage = stage
    if stage.outcome != OpportunityState.OPEN:
        deal.close_date = min(deal.close_date, program_today())
        deal.opportunity = opportunity_close(
            opportunity=deal.opportunity,
            state=stage.outcome,
            closed_on=deal.close_date,
            actor=actor,
        )
    deal.bump_version()
    deal.save()
    record_event(
        kind="deal.stage_changed",
        obj=deal,
        actor=actor,
        organization=deal.organization,
        data={"from": previous, "to": stage.name, "outcome": stage.outcome},
    )
    return deal
