"""The tier rules as pure functions: which tier points earn, and the credited tier's moves."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openprm.points.rules import Rules, tier_performance
from openprm.points.tests.test_rules import RULES
from openprm.points.tiers.rules import (
    CERTIFICATION,
    DEMOTION,
    PROMOTION,
    demotion_due_on,
    evaluate_credited_tier,
    is_evaluation_day,
    latest_evaluation_day,
    next_evaluation_day,
    pending_demotion,
)

GOLD, PLATINUM, DIAMOND, ELITE = RULES.tiers
D = datetime.date
POINTS = st.decimals(min_value=0, max_value=10_000, places=2)
DAYS = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))
NAMES = st.sampled_from(["", "Gold", "Platinum", "Diamond", "Elite"])


def earned(sold: Decimal, managed: Decimal, certified: bool = True) -> str:
    tier = tier_performance(
        total=sold + managed, sold=sold, managed=managed, certified=certified, rules=RULES
    )
    return tier.name if tier else ""


def test_points_exactly_at_a_tier_threshold_and_minimums_earn_it():
    sold = GOLD.sold_minimum
    assert earned(sold, GOLD.threshold - sold) == "Gold"


def test_one_hundredth_below_the_threshold_earns_the_tier_below():
    sold = PLATINUM.sold_minimum
    assert earned(sold, PLATINUM.threshold - sold - Decimal("0.01")) == "Gold"


def test_a_missing_sold_minimum_withholds_the_tier_whatever_the_total():
    assert earned(GOLD.sold_minimum - Decimal("0.01"), Decimal(10_000)) == ""


def test_a_missing_managed_minimum_withholds_the_tier_whatever_the_total():
    assert earned(Decimal(10_000), GOLD.managed_minimum - Decimal("0.01")) == ""


@given(sold=POINTS, managed=POINTS)
def test_no_points_earn_a_tier_without_a_valid_certification(sold, managed):
    assert earned(sold, managed, certified=False) == ""


@given(sold=POINTS, managed=POINTS)
def test_the_tier_earned_meets_its_rule_and_the_next_one_is_not_met(sold, managed):
    name = earned(sold, managed)
    rank = RULES.tier_rank(name)
    if name:
        assert RULES.tiers[rank - 1].is_met_by(total=sold + managed, sold=sold, managed=managed)
    if rank < len(RULES.tiers):
        higher = RULES.tiers[rank]
        assert not higher.is_met_by(total=sold + managed, sold=sold, managed=managed)


@given(sold=POINTS, managed=POINTS, more_sold=POINTS, more_managed=POINTS)
def test_more_points_never_earn_a_lower_tier(sold, managed, more_sold, more_managed):
    before = RULES.tier_rank(earned(sold, managed))
    after = RULES.tier_rank(earned(sold + more_sold, managed + more_managed))
    assert after >= before


@given(credited=NAMES, performance=NAMES, below_since=st.none() | DAYS, on=DAYS)
def test_a_higher_performance_promotes_at_once(credited, performance, below_since, on):
    outcome = evaluate_credited_tier(
        credited=credited,
        performance=performance,
        certified=True,
        below_since=below_since,
        on=on,
        rules=RULES,
    )
    if RULES.tier_rank(performance) > RULES.tier_rank(credited):
        assert outcome.credited == performance
        assert outcome.reason == PROMOTION
    else:
        assert RULES.tier_rank(outcome.credited) <= RULES.tier_rank(credited)


@pytest.mark.parametrize(
    ("credited", "performance", "certified", "below_since", "expected"),
    [
        pytest.param("Platinum", "Gold", True, D(2026, 10, 1), ("Platinum", None), id="in-grace"),
        pytest.param("Diamond", "Gold", True, D(2026, 9, 1), ("Gold", DEMOTION), id="grace-over"),
        pytest.param("Gold", "", True, None, ("Gold", None), id="grace-starts"),
        pytest.param("Elite", "", False, None, ("", CERTIFICATION), id="no-certification"),
        pytest.param("Silver", "", True, None, ("", DEMOTION), id="unknown-tier-dropped"),
    ],
)
def test_an_evaluation_on_the_first_of_december_moves_the_credited_tier(
    credited, performance, certified, below_since, expected
):
    """A grace period of one quarter: below since 1 September drops on 1 December."""
    outcome = evaluate_credited_tier(
        credited=credited,
        performance=performance,
        certified=certified,
        below_since=below_since,
        on=D(2026, 12, 1),
        rules=RULES,
    )
    assert (outcome.credited, outcome.reason) == expected


def test_a_demotion_falls_due_on_the_evaluation_day_a_grace_period_later():
    due = demotion_due_on(below_since=D(2026, 11, 15), rules=RULES)
    assert due == D(2027, 3, 1)


@pytest.mark.parametrize(
    ("credited", "performance", "certified_next", "last_below_since", "expected"),
    [
        pytest.param("Gold", "", True, D(2026, 11, 1), (D(2026, 11, 1), D(2027, 2, 1)), id="grace"),
        pytest.param("Gold", "", True, None, (D(2026, 11, 10), D(2027, 3, 1)), id="newly-below"),
        pytest.param("Gold", "Platinum", True, None, (None, None), id="above"),
        pytest.param("Gold", "Gold", True, D(2026, 9, 1), (None, None), id="meets-it-again"),
        pytest.param("Gold", "", False, None, (D(2026, 11, 10), D(2026, 12, 1)), id="uncertified"),
        pytest.param("Gold", "Gold", False, None, (None, D(2026, 12, 1)), id="lapses-first"),
        pytest.param("", "", False, None, (None, None), id="no-tier"),
    ],
)
def test_a_pending_demotion_on_10_november(
    credited, performance, certified_next, last_below_since, expected
):
    pending = pending_demotion(
        credited=credited,
        performance=performance,
        certified_at_next_evaluation=certified_next,
        last_below_since=last_below_since,
        on=D(2026, 11, 10),
        rules=RULES,
    )
    assert (pending.below_since, pending.due_on) == expected
    assert pending.at_risk == (expected[1] is not None)


@given(credited=NAMES, performance=NAMES, certified=st.booleans(), last=st.none() | DAYS, on=DAYS)
def test_a_pending_demotion_is_due_on_an_evaluation_day_after_the_run_below_began(
    credited, performance, certified, last, on
):
    pending = pending_demotion(
        credited=credited,
        performance=performance,
        certified_at_next_evaluation=certified,
        last_below_since=last,
        on=on,
        rules=RULES,
    )
    if pending.due_on is None:
        assert not credited or (certified and pending.below_since is None)
    else:
        assert is_evaluation_day(pending.due_on, RULES)
        assert pending.due_on > (pending.below_since or on) or not certified


@given(day=DAYS)
def test_the_latest_evaluation_day_is_the_first_of_the_month_on_or_before(day):
    latest = latest_evaluation_day(day, RULES)
    assert latest <= day
    assert is_evaluation_day(latest, RULES)
    assert next_evaluation_day(day, RULES) > day


@given(day=DAYS)
def test_quarterly_evaluations_fall_on_the_first_of_a_quarter(day):
    quarterly = Rules(**{**RULES.__dict__, "evaluation_interval_months": 3})
    latest = latest_evaluation_day(day, quarterly)
    assert latest.month in (1, 4, 7, 10)
    assert latest.day == 1
    assert (day - latest).days < 93
