"""Reads for goals, always through the requester's scope.

Actuals come from crm's opportunities table through `opportunity_actuals` only (STYLE.md
layering): goals never read the deals or referrals apps. Amounts in other currencies are
converted into the plan's currency with the latest crm exchange rate on or before the day that
counts (the close date; today for open deals); an amount with no such rate is left out and
counted in `unconverted`, so a page can say so instead of showing a wrong total.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractMonth

from openprm.accounts.models import Organization, User
from openprm.accounts.roles import Role
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.dates import program_today
from openprm.core.errors import NotFound
from openprm.crm.exchange import BASE_CURRENCY, RateBook
from openprm.crm.models import Opportunity, OpportunityState, Source
from openprm.goals.models import (
    MONTHS,
    GoalPlan,
    Metric,
    MonthlyTarget,
    QuarterlyReview,
    TargetChange,
)
from openprm.goals.plans import calc

Grid = dict[str, dict[int, int]]


def empty_grid() -> Grid:
    return {metric: dict.fromkeys(MONTHS, 0) for metric in Metric.values}


@dataclass
class Actuals:
    values: Grid = field(default_factory=empty_grid)
    unconverted: int = 0


def today() -> date:
    return program_today()


# Plans and partners


def plans_for_user(*, user: User, year: int | None = None) -> QuerySet[GoalPlan]:
    plans = GoalPlan.objects.for_user(user).select_related("organization", "currency")
    return plans.filter(year=year) if year is not None else plans


def plan_get(*, user: User, plan_id: int) -> GoalPlan:
    return get_for_user_or_404(
        GoalPlan.objects.select_related("organization", "currency"), user, pk=plan_id
    )


def plan_for_partner_year(*, user: User, organization: Organization, year: int) -> GoalPlan | None:
    return plans_for_user(user=user, year=year).filter(organization=organization).first()


def other_plans(*, user: User, plan: GoalPlan) -> QuerySet[GoalPlan]:
    """The partner's plans for other years that the user sees."""
    return plans_for_user(user=user).filter(organization=plan.organization).exclude(pk=plan.pk)


def partners_for_user(*, user: User) -> QuerySet[Organization]:
    """Partners whose plans the user may see: their own; a PDM's assigned; all for the admin."""
    partners = Organization.objects.partners()
    organization = user.organization
    if user.role in (Role.PARTNER_ADMIN, Role.PARTNER_USER) and organization is not None:
        return partners.filter(pk=organization.pk)
    if user.role == Role.PDM:
        return partners.filter(pdm=user)
    if user.role == Role.PROGRAM_ADMIN:
        return partners
    return partners.none()


def partner_get(*, user: User, partner_id: int) -> Organization:
    partner = partners_for_user(user=user).filter(pk=partner_id).first()
    if partner is None:
        raise NotFound()
    return partner


def can_edit_plans_of(*, user: User, organization: Organization) -> bool:
    """The partner admin and the vendor's PDM (or program admin) edit; partner users read."""
    if user.role == Role.PARTNER_ADMIN:
        return user.organization == organization
    if user.role == Role.PDM:
        return organization.pdm_id == user.pk
    return user.role == Role.PROGRAM_ADMIN


def default_currency_code(*, organization: Organization) -> str:
    """The currency most of the partner's opportunities (its customers' deals) are in, else USD."""
    row = (
        Opportunity.objects.filter(organization=organization)
        .values("currency_id")
        .annotate(n=Count("id"))
        .order_by("-n", "currency_id")
        .first()
    )
    return row["currency_id"] if row else BASE_CURRENCY


def plan_targets(*, plan: GoalPlan) -> Grid:
    return plans_targets(plans=[plan])[plan.pk]


def plans_targets(*, plans: list[GoalPlan]) -> dict[int, Grid]:
    """The target grids of plans the caller already resolved through its scope, in one query."""
    grids = {plan.pk: empty_grid() for plan in plans}
    rows = MonthlyTarget.objects.filter(plan__in=plans).values_list(
        "plan_id", "metric", "month", "value"
    )
    for plan_id, metric, month, value in rows:
        grids[plan_id][metric][month] = value
    return grids


def plan_reviews(*, plan: GoalPlan) -> QuerySet[QuarterlyReview]:
    return plan.reviews.select_related("created_by").order_by("-quarter")


def reviewed_quarters(*, plan: GoalPlan) -> set[int]:
    return set(plan.reviews.values_list("quarter", flat=True))


def review_get(*, user: User, review_id: int, plan_id: int | None = None) -> QuarterlyReview:
    """The one way to a review, for pages, the API and the services: a review the user does not
    see, or (when `plan_id` is given) of another plan, is missing."""
    reviews = QuarterlyReview.objects.select_related("plan__organization", "plan__currency")
    if plan_id is not None:
        reviews = reviews.filter(plan_id=plan_id)
    return get_for_user_or_404(reviews, user, pk=review_id)


def target_changes(*, plan: GoalPlan) -> QuerySet[TargetChange]:
    return plan.target_changes.select_related("changed_by", "review")


def review_target_changes(*, review: QuarterlyReview) -> QuerySet[TargetChange]:
    return review.target_changes.select_related("changed_by")


# Actuals: the one place goals read opportunities


def opportunity_actuals(*, organization: Organization, year: int, currency: str) -> Actuals:
    """Monthly actuals of the four metrics (SPEC B4, A3b) for one partner and year."""
    return partners_actuals(currencies={organization.pk: currency}, year=year)[organization.pk]


def partners_actuals(*, currencies: Mapping[int, str], year: int) -> dict[int, Actuals]:
    """Monthly actuals for several partners at once (partner id -> the currency counted in), in
    a fixed number of queries however many partners there are (the PDM's portfolio).

    Created: sourced opportunities by the month they were opened. Closed won and MRR: won
    opportunities by the month of their close date, sourced and assisted apart. Sums are taken
    in integer minor units per partner, close day and currency, then converted.
    """
    result = {partner_id: Actuals() for partner_id in currencies}
    opportunities = Opportunity.objects.filter(organization_id__in=list(currencies))
    # Months of the program's calendar (UTC), whichever timezone the viewer has active.
    created = (
        opportunities.filter(
            source=Source.SOURCED,
            opened_at__gte=datetime(year, 1, 1, tzinfo=UTC),
            opened_at__lt=datetime(year + 1, 1, 1, tzinfo=UTC),
        )
        .annotate(month=ExtractMonth("opened_at", tzinfo=UTC))
        .values_list("organization_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    for partner_id, month, count in created:
        result[partner_id].values[Metric.SOURCED_CREATED][month] = count
    won = list(
        opportunities.filter(state=OpportunityState.WON, closed_on__year=year)
        .values_list("organization_id", "source", "closed_on", "currency_id")
        .annotate(n=Count("id"), mrr_total=Sum("mrr_minor"))
        .order_by()
    )
    rates = RateBook({row[3] for row in won} | set(currencies.values()))
    for partner_id, source, closed_on, row_currency, count, mrr_minor in won:
        actuals = result[partner_id]
        if source == Source.SOURCED:
            actuals.values[Metric.SOURCED_WON][closed_on.month] += count
        converted = rates.convert_minor(mrr_minor, row_currency, currencies[partner_id], closed_on)
        if converted is None:
            actuals.unconverted += count
            continue
        metric = Metric.SOURCED_MRR if source == Source.SOURCED else Metric.ASSISTED_MRR
        actuals.values[metric][closed_on.month] += converted
    return result


@dataclass
class Highlights:
    average_sales_price: int | None
    won_count: int
    in_flight_count: int
    in_flight_value: int
    unconverted: int


def opportunity_highlights(*, organization: Organization, year: int, currency: str) -> Highlights:
    """Average sales price of the year's closed-won sourced deals; open sourced deals now."""
    sourced = Opportunity.objects.filter(organization=organization, source=Source.SOURCED)
    won = list(
        sourced.filter(state=OpportunityState.WON, closed_on__year=year)
        .values_list("closed_on", "currency_id")
        .annotate(n=Count("id"), total=Sum("amount_minor"))
        .order_by()
    )
    open_rows = list(
        sourced.filter(state=OpportunityState.OPEN)
        .values_list("currency_id")
        .annotate(n=Count("id"), total=Sum("amount_minor"))
        .order_by()
    )
    rates = RateBook({row[1] for row in won} | {row[0] for row in open_rows} | {currency})
    unconverted, won_count, won_total = 0, 0, 0
    for closed_on, row_currency, count, total in won:
        amount = rates.convert_minor(total, row_currency, currency, closed_on)
        if amount is None:
            unconverted += count
            continue
        won_count += count
        won_total += amount
    in_flight_count, in_flight_value, now = 0, 0, today()
    for row_currency, count, total in open_rows:
        in_flight_count += count
        amount = rates.convert_minor(total, row_currency, currency, now)
        if amount is None:
            unconverted += count
            continue
        in_flight_value += amount
    average = calc.round_half_up_ratio(won_total, won_count) if won_count else None
    return Highlights(average, won_count, in_flight_count, in_flight_value, unconverted)


def previous_year_actuals(*, plan: GoalPlan) -> Actuals:
    return opportunity_actuals(
        organization=plan.organization, year=plan.year - 1, currency=plan.currency_id
    )


def plan_actuals(*, plan: GoalPlan) -> Actuals:
    return opportunity_actuals(
        organization=plan.organization, year=plan.year, currency=plan.currency_id
    )
