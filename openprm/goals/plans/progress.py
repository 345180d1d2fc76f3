"""Progress against a plan (SPEC B4, B5): per metric, per month or quarter and for the year,
with the pace at the current run rate; and the PDM's portfolio of partners built from it.
"""

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from openprm.goals.models import MONEY_METRICS, MONTHS, GoalPlan, Metric
from openprm.goals.plans import calc, selectors

PERIODS = ("month", "quarter")


@dataclass
class Cell:
    period: int
    actual: int
    target: int
    percent: int | None


@dataclass
class Pace:
    projected_actual: int
    projected_percent: int | None
    behind: bool


@dataclass
class MetricProgress:
    metric: str
    label: str
    is_money: bool
    periods: list[Cell]
    year: Cell
    to_date: Cell
    pace: Pace | None


@dataclass
class Progress:
    period: str
    currency: str
    metrics: list[MetricProgress]
    unconverted: int

    @property
    def behind_pace(self) -> bool:
        return any(m.pace is not None and m.pace.behind for m in self.metrics)

    @property
    def has_pace(self) -> bool:
        """Some metric has a target and a pace to be judged by (the plan's year is running)."""
        return any(m.pace is not None and m.year.target > 0 for m in self.metrics)


def cell(period: int, actual: int, target: int) -> Cell:
    return Cell(period, actual, target, calc.percent_of(actual, target))


def metric_progress(
    *,
    metric: str,
    year: int,
    actual: dict[int, int],
    target: dict[int, int],
    period: str,
    today: date,
) -> MetricProgress:
    if period == "quarter":
        actual_by, target_by = calc.by_quarter(actual), calc.by_quarter(target)
    else:
        actual_by, target_by = actual, target
    periods = [cell(p, actual_by[p], target_by[p]) for p in sorted(actual_by)]
    last = calc.last_open_month(year, today)
    to_date = cell(
        last,
        sum(actual[m] for m in MONTHS if m <= last),
        sum(target[m] for m in MONTHS if m <= last),
    )
    year_cell = cell(0, sum(actual.values()), sum(target.values()))
    elapsed, days = calc.elapsed_share(year, today)
    projection = calc.projected(year_cell.actual, elapsed, days)
    pace = None
    # A pace only while the year runs: an ended year's result is final, a future one has none.
    if projection is not None and year == today.year:
        projected_percent = calc.percent_of(projection, year_cell.target)
        pace = Pace(
            projection, projected_percent, year_cell.target > 0 and projection < year_cell.target
        )
    return MetricProgress(
        metric=metric,
        label=str(Metric(metric).label),
        is_money=metric in MONEY_METRICS,
        periods=periods,
        year=year_cell,
        to_date=to_date,
        pace=pace,
    )


def plan_progress(*, plan: GoalPlan, period: str = "month", today: date | None = None) -> Progress:
    return progress_of(
        plan=plan,
        actuals=selectors.plan_actuals(plan=plan),
        targets=selectors.plan_targets(plan=plan),
        period=period,
        today=today or selectors.today(),
    )


def progress_of(
    *, plan: GoalPlan, actuals: selectors.Actuals, targets: selectors.Grid, period: str, today: date
) -> Progress:
    metrics = [
        metric_progress(
            metric=metric,
            year=plan.year,
            actual=actuals.values[metric],
            target=targets[metric],
            period=period,
            today=today,
        )
        for metric in Metric.values
    ]
    return Progress(period, plan.currency_id, metrics, actuals.unconverted)


def snapshot(progress: Progress, taken_at: str) -> dict[str, Any]:
    """What a review keeps of performance at review time (JSON)."""
    return {"taken_at": taken_at, **asdict(progress)}


@dataclass
class PortfolioRow:
    partner: Any
    plan: GoalPlan | None
    progress: Progress | None


def portfolio(*, user: Any, year: int, today: date | None = None) -> list[PortfolioRow]:
    """The partners a PDM is assigned (all partners for a program admin) with this year's plan;
    every plan's actuals and targets are read together, not partner by partner."""
    today = today or selectors.today()
    partners = list(selectors.partners_for_user(user=user).filter(is_active=True))
    plans = {p.organization_id: p for p in selectors.plans_for_user(user=user, year=year)}
    found = [plans[partner.pk] for partner in partners if partner.pk in plans]
    actuals = selectors.partners_actuals(
        currencies={plan.organization_id: plan.currency_id for plan in found}, year=year
    )
    targets = selectors.plans_targets(plans=found)
    rows = []
    for partner in partners:
        plan = plans.get(partner.pk)
        progress = None
        if plan is not None:
            progress = progress_of(
                plan=plan,
                actuals=actuals[partner.pk],
                targets=targets[plan.pk],
                period="month",
                today=today,
            )
        rows.append(PortfolioRow(partner, plan, progress))
    return rows
