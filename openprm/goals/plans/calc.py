"""The arithmetic of plans as pure functions: growth, percent of target, quarters, pace.

Every value is an integer (a count, or minor units of the plan's currency), so the same
half-up rounding gives whole deals for counts and cents for money.
"""

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from openprm.core.errors import field_error

GROWTH_PERCENTAGES = (5, 10, 15, 20, 25, 30)


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_growth(percent: int, field: str = "percent") -> None:
    if percent not in GROWTH_PERCENTAGES:
        raise field_error(
            field,
            str(_("Choose a growth percentage from 5 to 30 in steps of 5.")),
            "invalid_growth",
        )


def grow(previous: int, percent: int) -> int:
    """Previous-year actual x (1 + g): whole deals for counts, whole minor units for money."""
    return round_half_up(Decimal(previous) * (100 + percent) / 100)


def percent_of(actual: int, target: int) -> int | None:
    """5 against 6 is 83; a target of 0 has no percentage."""
    if target <= 0:
        return None
    return round_half_up(Decimal(actual) * 100 / target)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def by_quarter(monthly: dict[int, int]) -> dict[int, int]:
    quarters = dict.fromkeys(range(1, 5), 0)
    for month, value in monthly.items():
        quarters[quarter_of(month)] += value
    return quarters


def month_has_ended(year: int, month: int, today: date) -> bool:
    return (year, month) < (today.year, today.month)


def last_open_month(year: int, today: date) -> int:
    """The months up to this one count towards year-to-date (0 before the year, 12 after)."""
    if year < today.year:
        return 12
    if year > today.year:
        return 0
    return today.month


def elapsed_share(year: int, today: date) -> tuple[int, int]:
    """Days of the year gone by (today included) and days in the year."""
    days = 366 if calendar.isleap(year) else 365
    if year < today.year:
        return days, days
    if year > today.year:
        return 0, days
    return today.timetuple().tm_yday, days


def projected(actual_to_date: int, elapsed_days: int, days_in_year: int) -> int | None:
    """Year-end actual at the current run rate; None before the year has begun."""
    if elapsed_days <= 0:
        return None
    return round_half_up(Decimal(actual_to_date) * days_in_year / elapsed_days)


def round_half_up_ratio(numerator: int, denominator: int) -> int:
    return round_half_up(Decimal(numerator) / denominator)
