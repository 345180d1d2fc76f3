"""Upcoming renewals (E6): the subscriptions the partner manages that renew soon.

MRR change is the difference between today's MRR and the MRR a year before the renewal date,
the change over the term that is up for renewal. The last active user comes from the
customer's latest usage snapshot.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from openprm.accounts.models import Organization
from openprm.core.money import from_minor
from openprm.core.replica import reads_reports
from openprm.crm.models import Subscription, SubscriptionMrrChange, UsageSnapshot
from openprm.crm.selectors import mrr_on
from openprm.dashboard.periods import add_months

HORIZON_DAYS = 90


@dataclass(frozen=True)
class Renewal:
    customer_id: int
    customer_name: str
    product: str
    currency: str
    mrr: Decimal
    mrr_change: Decimal
    last_active_user: str
    renewal_manager: str
    renewal_on: date


@reads_reports
def upcoming_renewals(
    *, user: Any, partner: Organization, on: date, days: int = HORIZON_DAYS
) -> list[Renewal]:
    subscriptions = list(
        Subscription.objects.for_user(user)
        .filter(
            managing_partners=partner,
            ended_on__isnull=True,
            renewal_on__gte=on,
            renewal_on__lte=on + timedelta(days=days),
        )
        .select_related("customer", "product")
        .prefetch_related(
            Prefetch("mrr_changes", queryset=SubscriptionMrrChange.objects.order_by("effective_on"))
        )
        .order_by("renewal_on", "customer__name", "id")
    )
    last_users: dict[int, str] = {}
    for customer_id, name in (
        UsageSnapshot.objects.filter(customer_id__in={s.customer_id for s in subscriptions})
        .exclude(last_active_user="")
        .order_by("customer_id", "-taken_on")
        .values_list("customer_id", "last_active_user")
    ):
        last_users.setdefault(customer_id, name)
    renewals = []
    for subscription in subscriptions:
        changes = [(c.effective_on, c.mrr_minor) for c in subscription.mrr_changes.all()]
        year_before = mrr_on(changes, None, add_months(subscription.renewal_on, -12))  # type: ignore[arg-type]
        currency = subscription.currency_id
        renewals.append(
            Renewal(
                customer_id=subscription.customer_id,
                customer_name=subscription.customer.name,
                product=subscription.product.name,
                currency=currency,
                mrr=from_minor(subscription.mrr_minor, currency),
                mrr_change=from_minor(subscription.mrr_minor - year_before, currency),
                last_active_user=last_users.get(subscription.customer_id, ""),
                renewal_manager=subscription.renewal_manager,
                renewal_on=subscription.renewal_on,  # type: ignore[arg-type]
            )
        )
    return renewals
