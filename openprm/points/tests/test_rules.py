"""The rules as pure functions: no database, hypothesis over amounts, dates and splits."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openprm.crm.defaults import CURRENCIES, GROWTH_MULTIPLIER, GROWTH_REGIONS
from openprm.points import defaults
from openprm.points.rules import (
    ASSISTED,
    SOURCED,
    Rules,
    TierRule,
    UnknownCurrency,
    add_months,
    managed_points_whole,
    managed_share,
    money_for_points,
    sold_expiry,
    sold_points,
    split_evenly,
    tier_performance,
    tier_standing,
)

RULES = Rules(
    version=1,
    sourced_rate=defaults.SOURCED_RATE,
    assisted_rate=defaults.ASSISTED_RATE,
    managed_rate=defaults.MANAGED_RATE,
    usd100_equivalents={code: usd100 for code, _name, usd100 in CURRENCIES},
    market_multipliers={
        country: GROWTH_MULTIPLIER for countries in GROWTH_REGIONS.values() for country in countries
    },
    sold_life_months=defaults.SOLD_LIFE_MONTHS,
    tiers=tuple(TierRule.from_config(t) for t in defaults.TIERS),
    demotion_grace_months=defaults.DEMOTION_GRACE_MONTHS,
)
GOLD, PLATINUM, DIAMOND, ELITE = RULES.tiers

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)
points = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
standard_countries = st.sampled_from(["US", "JP", "DE", "GB", "AU"])
growth_countries = st.sampled_from(["TH", "IN", "BR", "CN", "KR", "SG", "TW"])


def test_us100_sourced_in_a_standard_market_is_five_points():
    assert sold_points(
        mrr=Decimal(100), currency="USD", source=SOURCED, country="US", rules=RULES
    ) == Decimal("5.00")


def test_default_rates_match_the_spec():
    args: dict[str, Any] = {"mrr": Decimal(100), "currency": "USD", "rules": RULES}
    assert sold_points(source=ASSISTED, country="US", **args) == Decimal("3.00")
    assert managed_points_whole(country="US", **args) == Decimal("1.00")
    assert sold_points(source=SOURCED, country="TH", **args) == Decimal("10.00")
    assert sold_points(source=ASSISTED, country="TH", **args) == Decimal("6.00")
    assert managed_points_whole(country="TH", **args) == Decimal("2.00")


def test_points_round_half_up_to_hundredths():
    # 0.10 USD sourced = 0.005 points exactly, which rounds up to 0.01.
    assert sold_points(
        mrr=Decimal("0.10"), currency="USD", source=SOURCED, country="US", rules=RULES
    ) == Decimal("0.01")


@given(mrr=amounts, source=st.sampled_from([SOURCED, ASSISTED]), country=standard_countries)
def test_eur_88_counts_as_us_100(mrr, source, country):
    in_usd = sold_points(mrr=mrr, currency="USD", source=source, country=country, rules=RULES)
    in_eur = sold_points(
        mrr=mrr * Decimal("0.88"), currency="EUR", source=source, country=country, rules=RULES
    )
    assert in_eur == in_usd


@given(
    code=st.sampled_from([code for code, _n, _u in CURRENCIES]),
    source=st.sampled_from([SOURCED, ASSISTED]),
)
def test_each_currencys_us100_equivalent_earns_the_rate(code, source):
    equivalent = RULES.usd100_equivalents[code]
    assert sold_points(
        mrr=equivalent, currency=code, source=source, country="US", rules=RULES
    ) == RULES.sold_rate(source)


@given(mrr=amounts, source=st.sampled_from([SOURCED, ASSISTED]), country=growth_countries)
def test_growth_markets_earn_double(mrr, source, country):
    standard = sold_points(mrr=mrr, currency="USD", source=source, country="US", rules=RULES)
    growth = sold_points(mrr=mrr, currency="USD", source=source, country=country, rules=RULES)
    # Doubling before rounding can differ from doubling the rounded figure by one hundredth.
    assert abs(growth - 2 * standard) <= Decimal("0.01")
    raw = mrr / 100 * RULES.sold_rate(source)
    assert growth == (2 * raw).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@given(mrr=amounts)
def test_growth_doubles_managed_points(mrr):
    standard = managed_points_whole(mrr=mrr * 2, currency="USD", country="US", rules=RULES)
    growth = managed_points_whole(mrr=mrr, currency="USD", country="TH", rules=RULES)
    assert growth == standard


@given(whole=points, parts=st.integers(min_value=1, max_value=50))
def test_the_managed_split_sums_to_the_whole(whole, parts):
    shares = split_evenly(whole, parts)
    assert len(shares) == parts
    assert sum(shares) == whole
    assert max(shares) - min(shares) <= Decimal("0.01")


@given(mrr=amounts, others=st.integers(min_value=0, max_value=20))
def test_every_managing_partner_gets_at_least_the_calculators_share(mrr, others):
    whole = managed_points_whole(mrr=mrr, currency="USD", country="US", rules=RULES)
    share = managed_share(mrr=mrr, currency="USD", country="US", other_partners=others, rules=RULES)
    assert min(split_evenly(whole, 1 + others)) == share


def test_a_split_needs_at_least_one_partner():
    with pytest.raises(ValueError, match="at least one"):
        split_evenly(Decimal(1), 0)


def test_unknown_currency_is_refused():
    with pytest.raises(UnknownCurrency):
        sold_points(mrr=Decimal(1), currency="XXX", source=SOURCED, country="US", rules=RULES)


@given(day=days)
def test_sold_points_expire_exactly_twelve_months_after_the_sale(day):
    expiry = sold_expiry(day, RULES)
    assert (expiry.year, expiry.month) == (day.year + 1, day.month)
    assert expiry.day == day.day or (day.month == 2 and day.day == 29 and expiry.day == 28)


def test_a_leap_day_sale_expires_on_the_last_day_of_next_february():
    assert sold_expiry(date(2024, 2, 29), RULES) == date(2025, 2, 28)
    assert sold_expiry(date(2023, 2, 28), RULES) == date(2024, 2, 28)


def test_month_ends_keep_their_day_or_become_the_target_months_last_day():
    assert sold_expiry(date(2025, 5, 31), RULES) == date(2026, 5, 31)
    assert sold_expiry(date(2025, 12, 31), RULES) == date(2026, 12, 31)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


@given(day=days, months=st.integers(min_value=1, max_value=36))
def test_expiry_is_never_early_and_never_a_month_late(day, months):
    later = add_months(day, months)
    assert later > day
    assert later - day <= timedelta(days=31 * months + 1)


@pytest.mark.parametrize("tier", RULES.tiers, ids=lambda t: t.name)
def test_a_partner_exactly_at_a_tiers_figures_earns_it(tier):
    assert (
        tier_performance(
            total=tier.threshold,
            sold=tier.sold_minimum,
            managed=tier.threshold - tier.sold_minimum,
            certified=True,
            rules=RULES,
        )
        == tier
    )


@pytest.mark.parametrize("tier", RULES.tiers, ids=lambda t: t.name)
def test_a_hundredth_below_a_threshold_misses_the_tier(tier):
    total = tier.threshold - Decimal("0.01")
    result = tier_performance(
        total=total,
        sold=tier.sold_minimum,
        managed=total - tier.sold_minimum,
        certified=True,
        rules=RULES,
    )
    assert result != tier


def test_enough_total_points_without_the_sold_minimum_is_the_tier_below():
    result = tier_performance(
        total=PLATINUM.threshold,
        sold=PLATINUM.sold_minimum - Decimal("0.01"),
        managed=PLATINUM.threshold - PLATINUM.sold_minimum + Decimal("0.01"),
        certified=True,
        rules=RULES,
    )
    assert result == GOLD


def test_enough_points_without_the_managed_minimum_misses_the_tier():
    result = tier_performance(
        total=GOLD.threshold,
        sold=GOLD.threshold - GOLD.managed_minimum + Decimal("0.01"),
        managed=GOLD.managed_minimum - Decimal("0.01"),
        certified=True,
        rules=RULES,
    )
    assert result is None


@given(total=points, share=st.decimals(min_value=0, max_value=1, places=2))
def test_no_tier_without_a_valid_certification(total, share):
    sold = (total * share).quantize(Decimal("0.01"))
    assert (
        tier_performance(total=total, sold=sold, managed=total - sold, certified=False, rules=RULES)
        is None
    )


def test_points_to_the_next_tier_are_what_each_figure_still_lacks():
    standing = tier_standing(
        total=Decimal("200"),
        sold=Decimal("50"),
        managed=Decimal("150"),
        certified=True,
        rules=RULES,
    )
    assert standing.tier == GOLD
    assert standing.next_tier == PLATINUM
    assert standing.total_needed == Decimal("200.00")
    assert standing.sold_needed == Decimal("30.00")
    assert standing.managed_needed == Decimal("10.00")


def test_the_highest_tier_has_no_next_tier():
    standing = tier_standing(
        total=Decimal("5000"), sold=Decimal("1000"), managed=Decimal("4000"), certified=True,
        rules=RULES,
    )  # fmt: skip
    assert standing.tier == ELITE
    assert standing.next_tier is None


@given(value=st.decimals(min_value=0, max_value=1_000_000, places=0), country=growth_countries)
def test_money_for_points_inverts_the_sold_rate(value, country):
    earned = sold_points(mrr=value, currency="EUR", source=SOURCED, country=country, rules=RULES)
    back = money_for_points(
        points=earned, currency="EUR", country=country, rate=RULES.sourced_rate, rules=RULES
    )
    # One hundredth of a point is worth at most 0.01 / 10 * 88 = 0.088 EUR.
    assert abs(back - value) <= Decimal("0.09")


@given(
    sold=points,
    managed=points,
    more_sold=points,
    more_managed=points,
)
def test_more_points_never_earn_a_lower_tier(sold, managed, more_sold, more_managed):
    def rank(s, m):
        tier = tier_performance(total=s + m, sold=s, managed=m, certified=True, rules=RULES)
        return RULES.tiers.index(tier) if tier else -1

    assert rank(sold + more_sold, managed + more_managed) >= rank(sold, managed)
