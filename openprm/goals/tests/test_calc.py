import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from openprm.goals.plans import calc

GROWTH = st.sampled_from(calc.GROWTH_PERCENTAGES)


@given(previous=st.integers(min_value=0, max_value=10**12), percent=GROWTH)
def test_growth_is_previous_times_one_plus_g_rounded_half_up(previous, percent):
    exact = Decimal(previous) * (Decimal(1) + Decimal(percent) / 100)
    assert calc.grow(previous, percent) == int(exact.quantize(Decimal(1), ROUND_HALF_UP))


@given(previous=st.integers(min_value=0, max_value=10**12), percent=GROWTH)
def test_growth_never_shrinks_and_stays_within_half_a_unit(previous, percent):
    grown = calc.grow(previous, percent)
    assert grown >= previous
    assert abs(Decimal(grown) - Decimal(previous) * (100 + percent) / 100) <= Decimal("0.5")


@pytest.mark.parametrize(
    ("previous", "percent", "expected"),
    [(10, 5, 11), (9, 5, 9), (3, 5, 3), (1, 30, 1), (2, 25, 3), (12345, 15, 14197)],
)
def test_growth_rounds_half_up_to_whole_units(previous, percent, expected):
    # 10 x 1.05 = 10.5 -> 11; 9 x 1.05 = 9.45 -> 9; 2 x 1.25 = 2.5 -> 3; 12345 x 1.15 = 14196.75
    assert calc.grow(previous, percent) == expected


@pytest.mark.parametrize("percent", [0, 7, 35, -5, 100])
def test_growth_outside_5_to_30_in_steps_of_5_is_a_field_error(percent):
    with pytest.raises(ValidationError) as error:
        calc.check_growth(percent)
    assert "percent" in error.value.message_dict


def test_five_against_six_is_83_percent():
    assert calc.percent_of(5, 6) == 83


def test_a_target_of_zero_has_no_percentage():
    assert calc.percent_of(5, 0) is None
    assert calc.percent_of(0, 0) is None


def test_percent_rounds_half_up():
    assert calc.percent_of(1, 8) == 13  # 12.5
    assert calc.percent_of(12, 6) == 200


@given(st.dictionaries(st.integers(1, 12), st.integers(0, 10**9), min_size=12, max_size=12))
def test_quarters_sum_their_months(monthly):
    quarters = calc.by_quarter(monthly)
    assert quarters[1] == monthly[1] + monthly[2] + monthly[3]
    assert quarters[4] == monthly[10] + monthly[11] + monthly[12]
    assert sum(quarters.values()) == sum(monthly.values())


def test_months_before_the_current_one_have_ended():
    today = dt.date(2026, 5, 15)
    assert calc.month_has_ended(2026, 4, today)
    assert not calc.month_has_ended(2026, 5, today)
    assert calc.month_has_ended(2025, 12, today)
    assert not calc.month_has_ended(2027, 1, today)


def test_projection_extends_the_run_rate_to_the_whole_year():
    elapsed, days = calc.elapsed_share(2026, dt.date(2026, 7, 2))  # day 183 of 365
    assert (elapsed, days) == (183, 365)
    assert calc.projected(60, elapsed, days) == 120  # 60 x 365 / 183 = 119.67


def test_no_projection_before_the_year_begins():
    elapsed, days = calc.elapsed_share(2027, dt.date(2026, 7, 2))
    assert calc.projected(0, elapsed, days) is None
