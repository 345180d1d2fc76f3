"""Actuals come from crm's opportunities, so progress moves when deals move."""

import datetime as dt

from openprm.crm.models import OpportunityState, Source
from openprm.goals.models import Metric
from openprm.goals.plans.progress import plan_progress
from openprm.goals.plans.selectors import opportunity_actuals, opportunity_highlights
from openprm.goals.tests.conftest import YEAR
from openprm.goals.tests.factories import (
    ExchangeRateFactory,
    GoalPlanFactory,
    OpportunityFactory,
    won_on,
)


def actuals(org, year=YEAR, currency="USD"):
    return opportunity_actuals(organization=org, year=year, currency=currency)


def test_sourced_deals_created_count_by_the_month_they_were_opened(northwind):
    OpportunityFactory.create(
        organization=northwind, opened_at=dt.datetime(2026, 3, 31, 23, tzinfo=dt.UTC)
    )
    OpportunityFactory.create(
        organization=northwind, opened_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    )
    OpportunityFactory.create(
        organization=northwind,
        source=Source.ASSISTED,
        opened_at=dt.datetime(2026, 4, 2, tzinfo=dt.UTC),
    )
    values = actuals(northwind).values[Metric.SOURCED_CREATED]
    assert (values[3], values[4]) == (1, 1)


def test_closed_won_and_mrr_count_by_close_date_sourced_and_assisted_apart(northwind):
    won_on(
        dt.date(2026, 2, 10),
        organization=northwind,
        mrr_minor=12_345,
        opened_at=dt.datetime(2025, 11, 1, tzinfo=dt.UTC),
    )
    won_on(dt.date(2026, 2, 20), organization=northwind, mrr_minor=5, source=Source.ASSISTED)
    OpportunityFactory.create(
        organization=northwind, state=OpportunityState.LOST, closed_on=dt.date(2026, 2, 3)
    )
    values = actuals(northwind).values
    assert values[Metric.SOURCED_WON][2] == 1
    assert values[Metric.SOURCED_MRR][2] == 12_345
    assert values[Metric.ASSISTED_MRR][2] == 5
    assert values[Metric.SOURCED_CREATED][2] == 0  # opened in 2025


def test_other_partners_deals_never_count(northwind, tailspin):
    won_on(dt.date(2026, 2, 10), organization=tailspin)
    assert actuals(northwind).values[Metric.SOURCED_WON][2] == 0


def test_closing_an_opportunity_moves_progress(northwind):
    plan = GoalPlanFactory.create(
        organization=northwind, year=YEAR, targets={(Metric.SOURCED_WON, 5): 6}
    )
    deals = [OpportunityFactory.create(organization=northwind) for _ in range(5)]
    before = plan_progress(plan=plan).metrics[1]
    assert before.periods[4].actual == 0
    for deal in deals:
        deal.state, deal.closed_on = OpportunityState.WON, dt.date(2026, 5, 14)
        deal.save()
    after = plan_progress(plan=plan).metrics[1]
    assert (after.periods[4].actual, after.periods[4].target, after.periods[4].percent) == (
        5,
        6,
        83,
    )
    deals[0].closed_on = dt.date(2026, 6, 1)
    deals[0].save()
    assert plan_progress(plan=plan).metrics[1].periods[4].actual == 4


def test_mrr_in_another_currency_is_converted_with_the_rate_of_its_close_date(northwind):
    ExchangeRateFactory.create(
        currency_id="JPY", valid_from=dt.date(2026, 1, 1), usd_per_unit="0.0070"
    )
    ExchangeRateFactory.create(
        currency_id="JPY", valid_from=dt.date(2026, 3, 1), usd_per_unit="0.0065"
    )
    won_on(dt.date(2026, 2, 28), organization=northwind, mrr_minor=10_000, currency_id="JPY")
    won_on(dt.date(2026, 3, 1), organization=northwind, mrr_minor=10_000, currency_id="JPY")
    values = actuals(northwind).values[Metric.SOURCED_MRR]
    assert (values[2], values[3]) == (7_000, 6_500)  # US$70.00 and US$65.00 in cents


def test_mrr_without_a_rate_is_left_out_and_counted_as_unconverted(northwind):
    won_on(dt.date(2026, 2, 1), organization=northwind, mrr_minor=10_000, currency_id="EUR")
    result = actuals(northwind)
    assert result.values[Metric.SOURCED_MRR][2] == 0
    assert result.values[Metric.SOURCED_WON][2] == 1
    assert result.unconverted == 1


def test_mrr_sums_are_exact_in_minor_units(northwind):
    for _ in range(3):
        won_on(dt.date(2026, 1, 5), organization=northwind, mrr_minor=33_333)
    won_on(dt.date(2026, 1, 6), organization=northwind, mrr_minor=1)
    assert actuals(northwind).values[Metric.SOURCED_MRR][1] == 100_000


def test_highlights_average_sales_price_and_in_flight_deals(northwind):
    won_on(dt.date(2026, 1, 5), organization=northwind, amount_minor=100_000)
    won_on(dt.date(2026, 2, 5), organization=northwind, amount_minor=200_001)
    won_on(
        dt.date(2026, 2, 5), organization=northwind, amount_minor=900_000, source=Source.ASSISTED
    )
    OpportunityFactory.create(organization=northwind, amount_minor=50_000)
    OpportunityFactory.create(organization=northwind, amount_minor=70_000)
    result = opportunity_highlights(organization=northwind, year=YEAR, currency="USD")
    assert result.average_sales_price == 150_001  # (100000 + 200001) / 2 = 150000.5, half up
    assert (result.in_flight_count, result.in_flight_value) == (2, 120_000)


def test_no_average_sales_price_without_won_deals(northwind):
    result = opportunity_highlights(organization=northwind, year=YEAR, currency="USD")
    assert result.average_sales_price is None
