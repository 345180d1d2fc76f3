"""Reads for the customer directory and the partners' own records, always scoped to the user."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from openprm.accounts.models import Organization, User
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.errors import NotFound
from openprm.core.money import from_minor
from openprm.core.search import fold
from openprm.crm.models import (
    Certification,
    Contact,
    Customer,
    CustomerNote,
    Opportunity,
    Product,
    Subscription,
    SubscriptionMrrChange,
)

# What the directory shows: the entity itself, never who works with it.
DIRECTORY_FIELDS = (
    "id",
    "name",
    "domain",
    "address",
    "city",
    "postal_code",
    "country",
    "duns",
    "market_type",
    "currency_id",
    "vendor_crm_id",
    "version",
)


def is_member(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.organization is not None


def customer_search(
    *,
    user: User | AnonymousUser,
    q: str = "",
    country: str = "",
    duns: str = "",
    vendor_crm_id: str = "",
) -> QuerySet[Customer]:
    """The directory as every member may search it: by folded name and country, by DUNS or by
    the vendor's CRM id."""
    if not is_member(user):
        return Customer.objects.none()
    customers = Customer.objects.only(*DIRECTORY_FIELDS)
    if q.strip():
        customers = customers.filter(search_name__contains=fold(q))
    if country.strip():
        customers = customers.filter(country=country.strip().upper())
    if duns.strip():
        customers = customers.filter(duns=fold(duns))
    if vendor_crm_id.strip():
        customers = customers.filter(vendor_crm_id=vendor_crm_id.strip())
    return customers.order_by("name", "id")


def customer_get(*, user: User, customer_id: int) -> Customer:
    customer = customer_search(user=user).filter(pk=customer_id).first()
    if customer is None:
        raise NotFound()
    return customer


def contacts_for_user(
    *,
    user: User,
    q: str = "",
    customer_id: int | None = None,
    vendor_crm_id: str = "",
    partner_crm_id: str = "",
) -> QuerySet[Contact]:
    """The user's contacts, by name, customer and CRM ids (an empty one filters nothing)."""
    contacts = Contact.objects.for_user(user).select_related("customer", "organization")
    contacts = contacts.filter(
        **by_external_ids(vendor_crm_id=vendor_crm_id, partner_crm_id=partner_crm_id)
    )
    if q.strip():
        contacts = contacts.filter(search_name__contains=fold(q))
    if customer_id is not None:
        contacts = contacts.filter(customer_id=customer_id)
    return contacts.order_by("last_name", "first_name", "id")


def by_external_ids(**external_ids: str) -> dict[str, str]:
    """D9's list filters as lookups: the CRM ids given, trimmed; the empty ones left out."""
    return {field: value.strip() for field, value in external_ids.items() if value.strip()}


def contact_get(*, user: User, contact_id: int) -> Contact:
    return get_for_user_or_404(
        Contact.objects.select_related("customer", "organization"), user, pk=contact_id
    )


def partner_records_for_customer(*, user: User, customer: Customer) -> dict[str, QuerySet[Any]]:
    """The requester's own contacts and notes about one directory entry; no one else's."""
    organization = user.organization
    contacts = Contact.objects.for_user(user).filter(customer=customer, organization=organization)
    notes = (
        CustomerNote.objects.for_user(user)
        .filter(customer=customer, organization=organization)
        .select_related("author")
    )
    return {"contacts": contacts.order_by("last_name", "first_name"), "notes": notes}


def partners_for_user(*, user: User) -> QuerySet[Organization]:
    """Partners see themselves, a PDM the partners assigned to them, other vendor staff all."""
    if not is_member(user):
        return Organization.objects.none()
    return (
        Organization.objects.for_user(user)
        .partners()
        .select_related("pdm")
        .prefetch_related("locations")
        .order_by("name", "id")
    )


# The tier filter's value for partners with no credited tier.
NO_TIER = "-"


@dataclass(frozen=True)
class PartnerFilters:
    """A partner list's filters (the channel dashboard, /api/v1/partners); empty ones filter
    nothing. `q` finds a part of the name in any case or width; `tier` is a credited tier's
    name or NO_TIER; `market` and `country` are ISO country codes."""

    q: str = ""
    tier: str = ""
    market: str = ""
    country: str = ""


def partners_filtered(*, user: User, filters: PartnerFilters) -> QuerySet[Organization]:
    partners = partners_for_user(user=user)
    if filters.q.strip():
        partners = partners.filter(search_name__contains=fold(filters.q))
    if filters.tier:
        partners = partners.filter(tier="" if filters.tier == NO_TIER else filters.tier)
    if filters.market:
        partners = partners.filter(market=filters.market.upper())
    if filters.country:
        partners = partners.filter(country=filters.country.upper())
    return partners


def partner_countries(*, user: User) -> list[str]:
    """The countries the requester's partners are based in, as codes, in one query."""
    partners = partners_for_user(user=user).prefetch_related(None).exclude(country="")
    countries = partners.values_list("country", flat=True)
    return sorted({str(code) for code in countries.order_by()})


def partner_get(*, user: User, partner_id: int) -> Organization:
    partner = (
        partners_for_user(user=user)
        .prefetch_related(
            Prefetch(
                "certifications",
                queryset=Certification.objects.order_by("-valid_until"),
            )
        )
        .filter(pk=partner_id)
        .first()
    )
    if partner is None:
        raise NotFound()
    return partner


def products_list(*, active_only: bool = True) -> QuerySet[Product]:
    products = Product.objects.all()
    return products.filter(is_active=True) if active_only else products


def opportunities_for_user(*, user: User) -> QuerySet[Opportunity]:
    return Opportunity.objects.for_user(user)


# Who may open an opportunity's own record (its name, its page) can be narrower than who counts
# it: a location-scoped partner user counts the partner's won referrals in its figures but opens
# only the referrals D3 shows it. The app owning a kind of opportunity adds its rule here from
# its AppConfig.ready() (crm imports no feature); an opportunity passes when every rule passes.
OPENABLE_RULES: list[Callable[[Any], Q]] = []


def openable_opportunity_ids(*, user: User, opportunity_ids: Iterable[int]) -> set[int]:
    """Which of `opportunity_ids` the user may open, in one query."""
    opportunities = Opportunity.objects.for_user(user).filter(pk__in=list(opportunity_ids))
    for rule in OPENABLE_RULES:
        opportunities = opportunities.filter(rule(user))
    return set(opportunities.values_list("pk", flat=True))


def opportunity_amount_totals(*, user: User, state: str | None = None) -> dict[str, Decimal]:
    """Exact totals per currency: integer minor units are summed by the database, never floats."""
    opportunities = opportunities_for_user(user=user)
    if state:
        opportunities = opportunities.filter(state=state)
    rows = (
        opportunities.order_by()
        .values("currency_id")
        .annotate(total=Sum("amount_minor"))
        .values_list("currency_id", "total")
    )
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for currency, total in rows:
        totals[currency] += from_minor(int(total or 0), currency)
    return dict(totals)


def subscriptions_for_user(*, user: User, customer_id: int | None = None) -> QuerySet[Subscription]:
    """Subscriptions as the requester may see them, each with the partners it may see managing
    them: a partner only itself, a PDM their own partners, so no one learns another's accounts."""
    subscriptions = Subscription.objects.for_user(user).select_related("customer", "product")
    if customer_id is not None:
        subscriptions = subscriptions.filter(customer_id=customer_id)
    visible_partners = Organization.objects.none()
    if is_member(user):
        visible_partners = Organization.objects.for_user(user).partners().order_by("name", "id")
    return subscriptions.prefetch_related(
        Prefetch("managing_partners", queryset=visible_partners)
    ).order_by("customer__name", "product__name", "id")


def subscription_get(*, user: User, subscription_id: int) -> Subscription:
    """One subscription with its MRR history, read through the scoped subscription."""
    subscription = (
        subscriptions_for_user(user=user)
        .prefetch_related("mrr_changes")
        .filter(pk=subscription_id)
        .first()
    )
    if subscription is None:
        raise NotFound()
    return subscription


def mrr_histories(*, subscription_ids: Iterable[int]) -> dict[int, list[tuple[date, int]]]:
    """Each subscription's MRR changes as (effective day, MRR in minor units), oldest first.

    Unscoped: callers pass subscriptions they resolved for their requester (or for the program,
    as the commission statements do)."""
    histories: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for subscription_id, effective_on, mrr in (
        SubscriptionMrrChange.objects.filter(subscription_id__in=list(subscription_ids))
        .order_by("subscription_id", "effective_on")
        .values_list("subscription_id", "effective_on", "mrr_minor")
    ):
        histories[subscription_id].append((effective_on, mrr))
    return dict(histories)


def mrr_in_force(day: date) -> Coalesce:
    """An annotation of a subscription queryset: its MRR in minor units from the latest change
    effective on or before `day` (0 before its first), as `mrr_on` reads it, left to the
    database; churn (`ended_on`) is the caller's to apply."""
    latest = SubscriptionMrrChange.objects.filter(
        subscription_id=OuterRef("pk"), effective_on__lte=day
    ).order_by("-effective_on")
    return Coalesce(Subquery(latest.values("mrr_minor")[:1]), 0)


def mrr_on(changes: list[tuple[date, int]], ended_on: date | None, day: date) -> int:
    """A subscription's MRR on `day` from its history (sorted by date); nothing once churned."""
    if ended_on is not None and ended_on <= day:
        return 0
    value = 0
    for effective_on, mrr in changes:
        if effective_on > day:
            break
        value = mrr
    return value
