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
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min, Q, QuerySet

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


def windows_for(partner: Organization, *, earning_from: date | None = None) -> list[Window]:
    """Unscoped on purpose: callers are the sweep (all partners) and the dashboard, whose partner
    comes from the scoped `dashboard.selectors.dashboard_partner`; windows span the customer's
    subscriptions, not only those the partner manages, so `Subscription.for_user` would not fit.

    `earning_from` leaves out subscriptions churned before that day: they earn nothing from
    then on, and every other subscription's window is opened by its own earliest sale."""
    eligible = eligible_sales(partner)
    sales = list(eligible.values_list("pk", "customer_id", "closed_on"))
    if not sales:
        return []
    products: dict[int, set[int]] = defaultdict(set)
    for opportunity_id, product_id in Opportunity.products.through.objects.filter(
        opportunity_id__in=eligible.values("pk")
    ).values_list("opportunity_id", "product_id"):
        products[opportunity_id].add(product_id)
    subscriptions = Subscription.objects.filter(customer_id__in=eligible.values("customer_id"))
    if earning_from is not None:
        subscriptions = subscriptions.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=earning_from)
        )
    by_customer: dict[int, list[tuple]] = defaultdict(list)
    for row in subscriptions.order_by("id").values_list(
        "pk", "customer_id", "product_id", "currency_id", "ended_on"
    ):
        by_customer[row[1]].append(row)
    opened: dict[int, tuple[tuple, int, date]] = {}
    for sale_id, customer_id, closed_on in sales:  # earliest first: the first sale opens it
        if closed_on is None:  # never: eligible sales are closed
            continue
        sold = products.get(sale_id)
        for subscription in by_customer.get(customer_id, []):
            if subscription[0] not in opened and (not sold or subscription[2] in sold):
                opened[subscription[0]] = (subscription, sale_id, closed_on)
    history = mrr_histories(subscription_ids=list(opened))
    return [
        Window(
            subscription_id=subscription_id,
            customer_id=customer_id,
            currency=currency,
            ended_on=ended_on,
            changes=history.get(subscription_id, []),
            opportunity_id=sale_id,
            sale_on=sale_on,
        )
        for (subscription_id, customer_id, _product, currency, ended_on), sale_id, sale_on in (
            opened[pk] for pk in sorted(opened)
        )
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


def first_eligible_sales(partners: Collection[int] | None = None) -> dict[int, date]:
    """Each partner's earliest eligible sale, by partner id: one query for the whole program
    (or for the partners in `partners`)."""
    sales = Opportunity.objects.filter(
        organization__kind=OrganizationKind.PARTNER,
        state=OpportunityState.WON,
        closed_on__isnull=False,
        shared_deal__compensation_eligible=True,
    )
    if partners is not None:
        sales = sales.filter(organization_id__in=partners)
    return dict(sales.order_by().values_list("organization_id").annotate(first=Min("closed_on")))


def partners_with_sales_saved_since(saved_from: datetime) -> set[int]:
    """The partners whose opportunities, or their shared deals, were saved since `saved_from`:
    only their first eligible sale can have moved. Two range reads of `updated_at` indexes."""
    saved = Opportunity.objects.filter(updated_at__gte=saved_from).order_by()
    deals_saved = Opportunity.objects.filter(shared_deal__updated_at__gte=saved_from).order_by()
    return {
        *saved.values_list("organization_id", flat=True).distinct(),
        *deals_saved.values_list("organization_id", flat=True).distinct(),
    }


def unsettled_quarters(
    *, on: date, partners: Collection[int] | None = None
) -> dict[int, list[date]]:
    """The closed quarters of each partner (of those in `partners`) that no run has worked out
    yet, oldest first."""
    due = {
        organization_id: closed_quarters(first_sale, on)
        for organization_id, first_sale in first_eligible_sales(partners).items()
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
