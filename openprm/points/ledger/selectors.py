"""Reads of the ledger; every total is a sum over the entries, never a stored figure."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from openprm.accounts.models import Organization
from openprm.accounts.scoping import get_for_user_or_404
from openprm.points.models import PointEntry, Track, counts_on
from openprm.points.rules import from_hundredths


@dataclass(frozen=True)
class PointTotals:
    sold: Decimal
    managed: Decimal

    @property
    def total(self) -> Decimal:
        return self.sold + self.managed


def point_entries_for_user(
    *,
    user: Any,
    partner_id: int | None = None,
    customer_id: int | None = None,
    track: str | None = None,
    active_on: date | None = None,
) -> QuerySet[PointEntry]:
    entries = PointEntry.objects.for_user(user).select_related("customer", "rule_version")
    if partner_id is not None:
        entries = entries.filter(organization_id=partner_id)
    if customer_id is not None:
        entries = entries.filter(customer_id=customer_id)
    if track is not None:
        entries = entries.filter(track=track)
    if active_on is not None:
        entries = entries.filter(counts_on(active_on))
    return entries.order_by("-active_from", "-id")


def point_entry_get(*, user: Any, entry_id: int) -> PointEntry:
    return get_for_user_or_404(
        PointEntry.objects.select_related("customer", "rule_version"), user, pk=entry_id
    )


def _sums(entries: QuerySet[PointEntry]) -> dict[str, Any]:
    return entries.aggregate(
        sold=Sum("points_hundredths", filter=Q(track=Track.SOLD), default=0),
        managed=Sum("points_hundredths", filter=Q(track=Track.MANAGED), default=0),
    )


def points_totals(*, organization: Organization, on: date | None = None) -> PointTotals:
    """Active sold and managed points of a partner on a day (today by default)."""
    day = on or timezone.localdate()
    sums = _sums(PointEntry.objects.filter(organization=organization).active_on(day))
    return PointTotals(sold=from_hundredths(sums["sold"]), managed=from_hundredths(sums["managed"]))


@dataclass(frozen=True)
class CustomerPoints:
    customer_id: int
    customer_name: str
    sold: Decimal
    managed: Decimal

    @property
    def total(self) -> Decimal:
        return self.sold + self.managed


def managed_subscription_ids(*, organization: Organization, on: date) -> set[int]:
    """The subscriptions on which the partner held managed points on `on`.

    The ledger is the record of who managed what and since when: crm keeps only the current
    managing partners, while every join, leave and churn is a dated managed entry here.
    """
    return set(
        PointEntry.objects.filter(organization=organization, track=Track.MANAGED)
        .active_on(on)
        .values("subscription_id")
        .annotate(total=Sum("points_hundredths"))
        .filter(total__gt=0)
        .values_list("subscription_id", flat=True)
    )


def points_by_customer(
    *, organization: Organization, on: date | None = None
) -> list[CustomerPoints]:
    """Active points per customer, largest first."""
    day = on or timezone.localdate()
    rows = (
        PointEntry.objects.filter(organization=organization)
        .active_on(day)
        .values("customer_id", "customer__name")
        .annotate(
            sold=Sum("points_hundredths", filter=Q(track=Track.SOLD), default=0),
            managed=Sum("points_hundredths", filter=Q(track=Track.MANAGED), default=0),
        )
    )
    customers = [
        CustomerPoints(
            customer_id=row["customer_id"],
            customer_name=row["customer__name"],
            sold=from_hundredths(row["sold"]),
            managed=from_hundredths(row["managed"]),
        )
        for row in rows
    ]
    customers = [c for c in customers if c.sold or c.managed]
    return sorted(customers, key=lambda c: (-c.total, c.customer_name))
