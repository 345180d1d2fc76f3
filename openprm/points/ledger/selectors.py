"""Reads of the ledger; every total is a sum over the entries, never a stored figure."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from openprm.accounts.models import Organization, User
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.dates import program_today
from openprm.points.models import ExpiryWarning, PointEntry, Track, counts_on, expires_within
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
    user: User,
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


def point_entry_get(*, user: User, entry_id: int) -> PointEntry:
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
    day = on or program_today()
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
    day = on or program_today()
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


@dataclass(frozen=True)
class ExpiringBatch:
    """A partner's sold points that stop counting on the same day."""

    organization_id: int
    expires_on: date
    points_hundredths: int

    @property
    def points(self) -> Decimal:
        return from_hundredths(self.points_hundredths)


def expiring_batches_unwarned(*, on: date, days: int) -> list[ExpiringBatch]:
    """The batches of active partners that count on `on`, stop counting within `days`, and
    were not announced yet; read through the ledger's expiry index and the warnings' unique
    one, so the cost follows the next weeks' sales, not the whole ledger."""
    warned = ExpiryWarning.objects.filter(
        organization_id=OuterRef("organization_id"), expires_on=OuterRef("expires_on")
    )
    rows = (
        PointEntry.objects.filter(
            expires_within(on, on + timedelta(days=days)), organization__is_active=True
        )
        .filter(~Exists(warned))
        .values("organization_id", "expires_on")
        .annotate(hundredths=Sum("points_hundredths"))
        .filter(hundredths__gt=0)
        .order_by("expires_on", "organization_id")
    )
    return [
        ExpiringBatch(
            organization_id=row["organization_id"],
            expires_on=cast(date, row["expires_on"]),  # expires_within matches dated entries
            points_hundredths=row["hundredths"],
        )
        for row in rows
    ]
