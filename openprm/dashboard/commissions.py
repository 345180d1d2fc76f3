"""Commissions (SPEC E13): a share of the net recurring revenue of compensation-eligible sales,
paid quarterly for a number of years from the sale, computed from the subscription records.

A sale is a won opportunity whose shared deal the vendor marked eligible for partner
compensation. It opens a window on the customer's subscriptions of the products sold (all of
the customer's subscriptions when the sale names no product); a subscription counts from its
earliest eligible sale by the partner. Each month of the window contributes the MRR in force
on the month's last day (nothing once churned). A line's commission is rounded half up in
minor units, and a statement's total is the sum of its lines, so the lines always add up.

Statements are written once for a closed quarter (by the sweep or `openprm manage
commission_statements`) and never changed: running the generation again writes nothing.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Min

from openprm.accounts.models import Organization
from openprm.accounts.roles import OrganizationKind
from openprm.core.events import record_event
from openprm.core.money import from_minor
from openprm.crm.models import Opportunity, OpportunityState, Subscription
from openprm.crm.selectors import mrr_histories, mrr_on
from openprm.dashboard.periods import add_months, month_ends, quarter_end, quarter_start
from openprm.points.models import (
    CommissionLine,
    CommissionProgram,
    CommissionSettlement,
    CommissionStatement,
)


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


def eligible_sales(partner: Organization):
    return Opportunity.objects.filter(
        organization=partner,
        state=OpportunityState.WON,
        closed_on__isnull=False,
        shared_deal__compensation_eligible=True,
    ).order_by("closed_on", "id")


def windows_for(partner: Organization) -> list[Window]:
    """Unscoped on purpose: callers are the sweep (all partners) and the dashboard, whose partner
    comes from the scoped `selectors.dashboard_partner`; windows span the customer's
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


def _write_statement(
    partner: Organization,
    start: date,
    currency: str,
    lines: list[Line],
    program: CommissionProgram,
) -> CommissionStatement:
    end = quarter_end(start)
    statement = CommissionStatement.objects.create(
        organization=partner,
        quarter_start=start,
        quarter_end=end,
        currency_id=currency,
        rate_percent=program.rate_percent,
        revenue_minor=sum(line.revenue_minor for line in lines),
        commission_minor=sum(line.commission_minor for line in lines),
        payable_on=end + timedelta(days=program.payment_delay_days),
    )
    CommissionLine.objects.bulk_create(
        CommissionLine(
            statement=statement,
            opportunity_id=line.window.opportunity_id,
            subscription_id=line.window.subscription_id,
            customer_id=line.window.customer_id,
            sale_on=line.window.sale_on,
            revenue_minor=line.revenue_minor,
            commission_minor=line.commission_minor,
        )
        for line in lines
    )
    record_event(
        kind="points.commission_statement",
        obj=statement,
        organization=partner,
        data={"quarter": start.isoformat(), "currency": currency,
              "commission_minor": statement.commission_minor},
    )  # fmt: skip
    return statement


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


def statements_generate(*, on: date, partner: Organization | None = None) -> int:
    """Write the statements of every closed quarter not settled yet; returns how many.

    A partner's quarter is worked out once, in one transaction with its settlement row, whether
    anything was due or not: a run with nothing new reads two queries and computes nothing, and
    records that change after a quarter was settled leave it as it was, as they leave statements.
    """
    pending = unsettled_quarters(on=on, partner=partner)
    if not pending:
        return 0
    program = CommissionProgram.current()
    written = 0
    for organization in Organization.objects.filter(pk__in=pending).order_by("pk"):
        windows = windows_for(organization)
        for start in pending[organization.pk]:
            by_currency = quarter_lines(windows, start, quarter_end(start), program)
            try:
                with transaction.atomic():
                    CommissionSettlement.objects.create(
                        organization=organization, quarter_start=start, statements=len(by_currency)
                    )
                    for currency, lines in sorted(by_currency.items()):
                        _write_statement(organization, start, currency, lines, program)
            except IntegrityError:
                continue  # another run settled this quarter first
            written += len(by_currency)
    return written


@dataclass(frozen=True)
class Estimate:
    quarter_start: date
    quarter_end: date
    payable_on: date
    currency: str
    commission_minor: int

    @property
    def commission(self) -> Decimal:
        return from_minor(self.commission_minor, self.currency)


def current_quarter_estimate(*, partner: Organization, on: date) -> list[Estimate]:
    """The running quarter's commission so far: an upcoming payment, not yet a statement."""
    program = CommissionProgram.current()
    windows = windows_for(partner)
    start, end = quarter_start(on), quarter_end(on)
    by_currency = quarter_lines(windows, start, min(end, on), program)
    payable_on = end + timedelta(days=program.payment_delay_days)
    return [
        Estimate(start, end, payable_on, currency, sum(line.commission_minor for line in lines))
        for currency, lines in sorted(by_currency.items())
    ]
