"""Points Breakdown (SPEC E8): a partner's points by customer, and one customer's history.

A customer belongs to the breakdown of the partners that hold ledger entries for it; for any
other partner its detail answers 404, exactly like a customer that does not exist.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from openprm.accounts.models import Organization
from openprm.core.dates import program_today
from openprm.core.errors import NotFound
from openprm.crm.models import Customer, Opportunity, OpportunityState
from openprm.points.models import PointEntry, Track, counts_on
from openprm.points.rules import from_hundredths


@dataclass(frozen=True)
class CustomerRow:
    customer_id: int
    customer_name: str
    market_type: str
    sold: Decimal
    managed: Decimal
    expired_sold: Decimal

    @property
    def total(self) -> Decimal:
        return self.sold + self.managed


def customers_with_deal_type(partner: Organization, deal_type: str) -> QuerySet[Opportunity, Any]:
    return Opportunity.objects.filter(
        organization=partner, kind=deal_type, state=OpportunityState.WON
    ).values("customer_id")


def points_breakdown(
    *,
    partner: Organization,
    deal_type: str | None = None,
    market_type: str | None = None,
    on: date | None = None,
) -> list[CustomerRow]:
    """Active sold and managed points and expired sold points per customer, largest first.

    `deal_type` keeps the customers the partner won a deal of that kind with; `market_type`
    the customers of that market type.
    """
    day = on or program_today()
    entries = PointEntry.objects.filter(organization=partner, active_from__lte=day)
    if deal_type:
        entries = entries.filter(customer_id__in=customers_with_deal_type(partner, deal_type))
    if market_type:
        entries = entries.filter(customer__market_type=market_type)
    active = counts_on(day)
    rows = entries.values("customer_id", "customer__name", "customer__market_type").annotate(
        sold=Sum("points_hundredths", filter=active & Q(track=Track.SOLD), default=0),
        managed=Sum("points_hundredths", filter=active & Q(track=Track.MANAGED), default=0),
        expired=Sum(
            "points_hundredths", filter=Q(track=Track.SOLD, expires_on__lte=day), default=0
        ),
    )
    result = [
        CustomerRow(
            customer_id=row["customer_id"],
            customer_name=row["customer__name"],
            market_type=row["customer__market_type"],
            sold=from_hundredths(row["sold"]),
            managed=from_hundredths(row["managed"]),
            expired_sold=from_hundredths(row["expired"]),
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (-r.total, -r.expired_sold, r.customer_name, r.customer_id))


@dataclass(frozen=True)
class CustomerEntry:
    entry: PointEntry
    is_active: bool
    is_expired: bool
    deal_name: str
    deal_kind: str
    source: str


@dataclass(frozen=True)
class CustomerPointsDetail:
    customer: Customer
    on: date
    sold: list[CustomerEntry]
    managed: list[CustomerEntry]
    active_sold: Decimal
    expired_sold: Decimal
    active_managed: Decimal
    latest_entry_id: int

    @property
    def active_total(self) -> Decimal:
        return self.active_sold + self.active_managed


def customer_points_detail(
    *, partner: Organization, customer_id: int, on: date | None = None
) -> CustomerPointsDetail:
    """The customer's sold and managed history for `partner`, and which points count."""
    day = on or program_today()
    entries = list(
        PointEntry.objects.filter(organization=partner, customer_id=customer_id)
        .select_related("customer", "opportunity", "rule_version")
        .order_by("-active_from", "-id")
    )
    if not entries:
        raise NotFound()
    rows = [
        CustomerEntry(
            entry=e,
            is_active=e.active_from <= day and (e.expires_on is None or e.expires_on > day),
            is_expired=e.expires_on is not None and e.expires_on <= day,
            deal_name=e.opportunity.name if e.opportunity else "",
            deal_kind=e.opportunity.get_kind_display() if e.opportunity else "",
            source=e.opportunity.get_source_display() if e.opportunity else "",
        )
        for e in entries
    ]
    sold = [r for r in rows if r.entry.track == Track.SOLD]
    managed = [r for r in rows if r.entry.track == Track.MANAGED]

    def total(selected: list[CustomerEntry]) -> Decimal:
        return sum((r.entry.points for r in selected), Decimal("0.00"))

    return CustomerPointsDetail(
        customer=entries[0].customer,
        on=day,
        sold=sold,
        managed=managed,
        active_sold=total([r for r in sold if r.is_active]),
        expired_sold=total([r for r in sold if r.is_expired]),
        active_managed=total([r for r in managed if r.is_active]),
        latest_entry_id=max(e.pk for e in entries),
    )
