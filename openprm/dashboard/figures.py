"""The dashboard's figures (E1-E4): program progress, tier progress against a chosen tier,
tier point changes and shared sales over a date range.

Points come from the ledger through the points selectors; revenue, MRR and retention from crm's
opportunities and subscriptions. Money from many currencies is shown in US dollars, converted
with the dated exchange rates (revenue on its close date; retention at today's rates for both
then and now, so a currency's movement does not look like churn). Amounts without a rate are
left out and counted, never guessed.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization
from openprm.core.money import from_minor
from openprm.core.replica import reads_reports
from openprm.crm.exchange import BASE_CURRENCY, RateBook
from openprm.crm.models import Opportunity, OpportunityState, Source, Subscription
from openprm.crm.selectors import mrr_in_force
from openprm.dashboard.periods import Period, add_months
from openprm.dashboard.reports import POINT_KINDS, SALES_KINDS, report_queryset
from openprm.points.ledger.selectors import managed_subscription_ids
from openprm.points.models import tier_label
from openprm.points.rules import from_hundredths
from openprm.points.rulesets.selectors import rules_in_force
from openprm.points.tiers.selectors import TierStatus, tier_status_for


@dataclass(frozen=True)
class MoneyFigure:
    amount_minor: int
    currency: str
    unconverted: int  # records left out for want of an exchange rate

    @property
    def amount(self) -> Decimal:
        return from_minor(self.amount_minor, self.currency)


@dataclass(frozen=True)
class ProgramProgress:
    credited_tier: str | None
    tier_performance: str | None
    total_points: Decimal
    sold_points: Decimal
    managed_points: Decimal
    certified: bool
    next_tier: str | None
    points_to_next_tier: Decimal
    sourced_revenue: MoneyFigure
    sourced_mrr: MoneyFigure
    retention_percent: Decimal | None  # None: nobody was managed 12 months ago


@reads_reports
def sourced_sales(*, user: Any, partner: Organization, on: date) -> tuple[MoneyFigure, ...]:
    """Revenue and MRR of the sourced opportunities won in the 12 months up to `on`."""
    rows = list(
        Opportunity.objects.for_user(user)
        .filter(
            organization=partner,
            source=Source.SOURCED,
            state=OpportunityState.WON,
            closed_on__gt=add_months(on, -12),
            closed_on__lte=on,
        )
        .values_list("currency_id", "closed_on", "amount_minor", "mrr_minor")
    )
    book = RateBook(row[0] for row in rows)
    revenue = mrr = unconverted = 0
    for currency, closed_on, amount_minor, mrr_minor in rows:
        day = closed_on or on  # every row is closed: the filter above reads its closing day
        amount = book.convert_minor(amount_minor, currency, BASE_CURRENCY, day)
        monthly = book.convert_minor(mrr_minor, currency, BASE_CURRENCY, day)
        if amount is None or monthly is None:
            unconverted += 1
            continue
        revenue += amount
        mrr += monthly
    return (
        MoneyFigure(revenue, BASE_CURRENCY, unconverted),
        MoneyFigure(mrr, BASE_CURRENCY, unconverted),
    )


@reads_reports
def retention_percent(*, partner: Organization, on: date) -> Decimal | None:
    """C$R over 12 months (SPEC E12): today's MRR of the customers the partner managed 12
    months ago ÷ their MRR then.

    "Managed 12 months ago" is read from the ledger, which dates every join, leave and churn
    (crm keeps only the current managing partners): a partner that left a customer since
    still answers for it, and one that joined since does not. A customer's MRR is that of all
    its subscriptions, so a product added since counts as expansion. `partner` comes from a
    scoped lookup, and only the ratio is shown, never another partner's records.
    """
    then = add_months(on, -12)
    managed_then = managed_subscription_ids(organization=partner, on=then)
    customers = Subscription.objects.filter(pk__in=managed_then).values("customer_id")
    rows = (
        Subscription.objects.filter(customer_id__in=customers)
        .annotate(mrr_then=mrr_in_force(then), mrr_now=mrr_in_force(on))
        .values_list("currency_id", "ended_on", "mrr_then", "mrr_now")
    )
    subscriptions = list(rows)
    book = RateBook(s[0] for s in subscriptions)
    before = after = 0
    for currency, ended_on, mrr_then, mrr_now in subscriptions:
        then_mrr = 0 if ended_on is not None and ended_on <= then else mrr_then
        now_mrr = 0 if ended_on is not None and ended_on <= on else mrr_now
        then_usd = book.convert_minor(then_mrr, currency, BASE_CURRENCY, on)
        now_usd = book.convert_minor(now_mrr, currency, BASE_CURRENCY, on)
        if then_usd is None or now_usd is None:
            continue
        before += then_usd
        after += now_usd
    if before == 0:
        return None
    return (Decimal(after) * 100 / Decimal(before)).quantize(Decimal("0.1"))


@reads_reports
def program_progress(
    *, user: Any, partner: Organization, on: date, status: TierStatus | None = None
) -> ProgramProgress:
    """E1. The tier figures are the tier evaluation's (`tier_status_for`): the credited tier
    the partner holds, and the tier its current points would earn."""
    status = status or tier_status_for(partner=partner, on=on)
    revenue, mrr = sourced_sales(user=user, partner=partner, on=on)
    return ProgramProgress(
        credited_tier=str(status.credited_tier_label) or None,
        tier_performance=str(status.performance_tier_label) or None,
        total_points=status.total_points,
        sold_points=status.sold_points,
        managed_points=status.managed_points,
        certified=status.certified,
        next_tier=str(status.next_tier_label) or None,
        points_to_next_tier=status.points_to_next_tier or Decimal("0.00"),
        sourced_revenue=revenue,
        sourced_mrr=mrr,
        retention_percent=retention_percent(partner=partner, on=on),
    )


@dataclass(frozen=True)
class Measure:
    label: str
    current: Decimal
    required: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(self.required - self.current, Decimal(0)).quantize(Decimal("0.01"))

    @property
    def percent(self) -> int:
        if self.required <= 0:
            return 100
        return min(100, int(self.current * 100 / self.required))


@dataclass(frozen=True)
class TierProgress:
    target: str  # the tier's configured name
    target_label: str
    tiers: list[tuple[str, str]]  # (name, label) for the dropdown
    total: Measure
    sold: Measure
    managed: Measure

    @property
    def measures(self) -> list[Measure]:
        return [self.total, self.sold, self.managed]


def tier_progress(
    *, partner: Organization, on: date, target: str | None, status: TierStatus | None = None
) -> TierProgress:
    """E2: the partner's points against a tier chosen in the dropdown (by default the next
    tier of the tier evaluation, the highest once there is none above)."""
    status = status or tier_status_for(partner=partner, on=on)
    rules = rules_in_force(on).to_rules()
    by_name = {tier.name: tier for tier in rules.tiers}
    chosen = by_name.get(target or "") or by_name.get(status.next_tier) or rules.tiers[-1]
    totals = status.points
    return TierProgress(
        target=chosen.name,
        target_label=str(tier_label(chosen.name)),
        tiers=[(tier.name, str(tier_label(tier.name))) for tier in rules.tiers],
        total=Measure(_("Total points"), totals.total, chosen.threshold),
        sold=Measure(_("Sold points minimum"), totals.sold, chosen.sold_minimum),
        managed=Measure(_("Managed points minimum"), totals.managed, chosen.managed_minimum),
    )


@reads_reports
def tier_figures(
    *, user: Any, partner: Organization, on: date, target: str | None
) -> tuple[ProgramProgress, TierProgress]:
    """E1 and E2 from one tier status: it sums the partner's whole ledger, so a dashboard
    computes it once."""
    status = tier_status_for(partner=partner, on=on)
    return (
        program_progress(user=user, partner=partner, on=on, status=status),
        tier_progress(partner=partner, on=on, target=target, status=status),
    )


@dataclass(frozen=True)
class SectionFigure:
    kind: str
    label: str
    value: Decimal | int  # points, or a count of deals
    customers: int


@reads_reports
def point_changes(*, user: Any, partner: Organization, period: Period) -> list[SectionFigure]:
    """E3: new and lost sold and managed points in the range, each with its customers."""
    figures = []
    for kind in POINT_KINDS:
        sums = report_queryset(user=user, partner=partner, kind=kind, period=period).aggregate(
            points=Sum("points_hundredths", default=0), customers=Count("customer", distinct=True)
        )
        figures.append(
            SectionFigure(
                kind, str(kind.label), from_hundredths(abs(sums["points"])), sums["customers"]
            )
        )
    return figures


@reads_reports
def shared_sales(*, user: Any, partner: Organization, period: Period) -> list[SectionFigure]:
    """E4: vendor deals created, sourced in-flight deals and closed-won deals in the range."""
    figures = []
    for kind in SALES_KINDS:
        sums = report_queryset(user=user, partner=partner, kind=kind, period=period).aggregate(
            deals=Count("id"), customers=Count("customer", distinct=True)
        )
        figures.append(SectionFigure(kind, str(kind.label), sums["deals"], sums["customers"]))
    return figures
