"""Account performance on Partner > Tier (SPEC E7): how much the partner's managed customers
use the product, and how long its certification stays valid (with the alert it is due)."""

import statistics
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from openprm.accounts.models import Organization
from openprm.core.dates import program_today
from openprm.crm.models import Customer, Subscription, UsageSnapshot
from openprm.points.tiers.selectors import certification_valid_until
from openprm.points.tiers.services import CERTIFICATION_ALERT_DAYS


@dataclass(frozen=True)
class AccountPerformance:
    median_active_users: Decimal | None  # None when no managed customer has usage data
    customers_with_usage: int
    certification_valid_until: date | None
    days_left: int | None
    alert_days: int | None  # 60 or 14 when the certification lapses within that many days


def account_performance(*, partner: Organization, on: date | None = None) -> AccountPerformance:
    """Median tool usage of the customers the partner manages (their latest snapshot on or
    before `on`), and how long its certification stays valid."""
    day = on or program_today()
    managed = (
        Subscription.objects.filter(managing_partners=partner, started_on__lte=day)
        .exclude(ended_on__lte=day)
        .values("customer_id")
    )
    latest = (
        UsageSnapshot.objects.filter(customer_id=OuterRef("pk"), taken_on__lte=day)
        .order_by("-taken_on")
        .values("active_users")[:1]
    )
    usage = [
        value
        for value in Customer.objects.filter(pk__in=managed)
        .annotate(latest=Subquery(latest))
        .values_list("latest", flat=True)
        if value is not None
    ]
    valid_until = certification_valid_until(organization=partner, on=day)
    days_left = (valid_until - day).days if valid_until else None
    alerts = [d for d in CERTIFICATION_ALERT_DAYS if days_left is not None and days_left <= d]
    return AccountPerformance(
        median_active_users=Decimal(str(statistics.median(usage))) if usage else None,
        customers_with_usage=len(usage),
        certification_valid_until=valid_until,
        days_left=days_left,
        alert_days=min(alerts) if alerts else None,
    )
