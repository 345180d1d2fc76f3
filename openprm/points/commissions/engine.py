"""Commissions (SPEC E13): a share of the net recurring revenue of compensation-eligible sales,
paid quarterly for a number of years from the sale, computed from the subscription records.

A sale is a won opportunity whose shared deal the vendor marked eligible for partner
compensation. It opens a window on the customer's subscriptions of the products sold (all of
the customer's subscriptions when the sale names no product); a subscription counts from its
earliest eligible sale by the partner. Each month of the window contributes the MRR in force
on the month's last day (nothing once churned). A line's commission is rounded half up in
minor units, and a statement's total is the sum of its lines, so the lines always add up.

Statements are written once for a closed quarter (`services.statements_generate`, run by the
sweep or `openprm manage commission_statements`) and never changed: running the generation
again writes nothing. This module computes; it writes nothing.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min, QuerySet

from openprm.accounts.models import Organization
from openprm.accounts.roles import OrganizationKind
from openprm.crm.models import Opportunity, OpportunityState, Subscription
from openprm.crm.selectors import mrr_histories, mrr_on
from openprm.points.models import CommissionProgram, CommissionSettlement
from openprm.points.rules import add_months


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_end(day: date) -> date:
    return add_months(quarter_start(day), 3) - timedelta(days=1)


def month_ends(start: date, end: date) -> list[date]:
    """The last day of every month from `start`'s month to `end`'s month."""
    days = []
    first = date(start.year, start.month, 1)
    while first <= end:
        days.append(add_months(first, 1) - timedelta(days=1))
        first = add_months(first, 1)
    return days


def commission_minor(revenue_minor: int, rate_percent: Decimal) -> int:
    """`rate_percent` % of `revenue_minor`, half up, in the same minor units."""
    share = Decimal(revenue_minor) * Decimal(rate_percent) / 100
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def window_revenue(
    *,
    changes: list[tuple[date, int]],
    ended_on: date | None,
    sale_on: date,
    years: int,
    start: date,
    end: date,
) -> int:
    """Net recurring revenue of one subscription in [start, end] inside the sale's window."""
    window_end = add_months(sale_on, 12 * years)
    return sum(
        mrr_on(changes, ended_on, month_end)
        for month_end in month_ends(start, end)
        if sale_on <= month_end < window_end and start <= month_end <= end
    )


@dataclass(frozen=True)
class Window:
    """A subscription and the eligible sale that opened its commission window."""

    subscription_id: int
    customer_id: int
    currency: str
    ended_on: date | None
    changes: list[tuple[date, int]]
    opportunity_id: int
    sale_on: date


@dataclass(frozen=True)
class Line:
    window: Window
    revenue_minor: int
    commission_minor: int


def eligible_sales(partner: Organization) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(
        organization=partner,
        state=OpportunityState.WON,
        closed_on__isnull=False,
        shared_deal__compensation_eligible=True,
    ).order_by("closed_on", "id")


def windows_for(partner: Organization) -> list[Window]:
    """Unscoped on purpose: callers are the sweep (all partners) and the dashboard, whose partner
    comes from the scoped `dashboard.selectors.dashboard_partner`; windows span the customer's
    subscriptions, not only those the partner manages, so `Subscription.for_user` would not fit."""
    sales = list(eligible_sales(partner).prefetch_related("products"))
    if not sales:
        return []
    subscriptions = list(
        Subscription.objects.filter(customer_id__in={s.customer_id for s in sales}).order_by("id")
    )
    history = mrr_histories(subscription_ids=[subscription.pk for subscription in subscriptions])
    opened: dict[int, Opportunity] = {}
    for sale in sales:  # earliest first: a subscription's window opens at its first sale
        products = {product.pk for product in sale.products.all()}
        for subscription in subscriptions:
            if subscription.customer_id != sale.customer_id or subscription.pk in opened:
                continue
            if not products or subscription.product_id in products:
                opened[subscription.pk] = sale
    return [
        Window(
            subscription_id=subscription.pk,
            customer_id=subscription.customer_id,
            currency=subscription.currency_id,
            ended_on=subscription.ended_on,
            changes=history.get(subscription.pk, []),
            opportunity_id=opened[subscription.pk].pk,
            sale_on=opened[subscription.pk].closed_on,  # type: ignore[arg-type]
        )
        for subscription in subscriptions
        if subscription.pk in opened
    ]


def quarter_lines(
    windows: list[Window], start: date, end: date, program: CommissionProgram
) -> dict[str, list[Line]]:
    """The lines of one quarter by currency; subscriptions without revenue give none."""
    lines: dict[str, list[Line]] = defaultdict(list)
    for window in windows:
        revenue = window_revenue(
            changes=window.changes,
            ended_on=window.ended_on,
            sale_on=window.sale_on,
            years=program.years,
            start=start,
            end=end,
        )
        if revenue > 0:
            commission = commission_minor(revenue, program.rate_percent)
            lines[window.currency].append(Line(window, revenue, commission))
    return dict(lines)


def closed_quarters(first_sale: date, on: date) -> list[date]:
    """The starts of the quarters from the first sale's up to the last one ended before `on`."""
    starts = []
    start = quarter_start(first_sale)
    while quarter_end(start) < on:
        starts.append(start)
        start = add_months(start, 3)
    return starts


def first_eligible_sales(partner: Organization | None = None) -> dict[int, date]:
    """Each partner's earliest eligible sale, by partner id: one query for the whole program."""
    sales = Opportunity.objects.filter(
        organization__kind=OrganizationKind.PARTNER,
        state=OpportunityState.WON,
        closed_on__isnull=False,
        shared_deal__compensation_eligible=True,
    )
    if partner is not None:
        sales = sales.filter(organization=partner)
    return dict(sales.order_by().values_list("organization_id").annotate(first=Min("closed_on")))


def unsettled_quarters(*, on: date, partner: Organization | None = None) -> dict[int, list[date]]:
    """The closed quarters of each partner that no run has worked out yet, oldest first."""
    due = {
        organization_id: closed_quarters(first_sale, on)
        for organization_id, first_sale in first_eligible_sales(partner).items()
    }
    due = {organization_id: starts for organization_id, starts in due.items() if starts}
    if not due:
        return {}
    settled: dict[int, set[date]] = defaultdict(set)
    for organization_id, start in CommissionSettlement.objects.filter(
        organization_id__in=due, quarter_start__gte=min(starts[0] for starts in due.values())
    ).values_list("organization_id", "quarter_start"):
        settled[organization_id].add(start)
    pending = {
        organization_id: [start for start in starts if start not in settled[organization_id]]
        for organization_id, starts in due.items()
    }
    return {organization_id: starts for organization_id, starts in pending.items() if starts}
