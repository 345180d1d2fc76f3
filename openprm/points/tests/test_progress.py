"""Points by month: the fold behind the tier progress and progress-over-time charts."""

import datetime
import itertools

from hypothesis import given
from hypothesis import strategies as st

from openprm.points.ledger.progress import Row, fold_months
from openprm.points.rules import add_months

D = datetime.date
ON = D(2026, 11, 10)
DAYS = st.dates(min_value=D(2024, 6, 1), max_value=ON)
HUNDREDTHS = st.integers(min_value=-50_000, max_value=50_000).filter(bool)


@st.composite
def ledger_rows(draw) -> list[Row]:
    rows: list[Row] = []
    for _ in range(draw(st.integers(min_value=0, max_value=30))):
        active_from = draw(DAYS)
        if draw(st.booleans()):
            points = draw(st.integers(min_value=1, max_value=50_000))
            rows.append(("sold", points, active_from, add_months(active_from, 12)))
        else:
            rows.append(("managed", draw(HUNDREDTHS), active_from, None))
    return rows


@given(rows=ledger_rows())
def test_each_months_change_is_what_it_added_and_removed(rows):
    months = fold_months(rows, on=ON)
    for before, month in itertools.pairwise(months):
        assert month.sold_active - before.sold_active == month.sold_added + month.sold_removed
        assert (
            month.managed_active - before.managed_active
            == month.managed_added + month.managed_removed
        )


@given(rows=ledger_rows())
def test_removed_points_are_never_positive_and_added_never_negative(rows):
    for month in fold_months(rows, on=ON):
        assert month.sold_removed <= 0 <= month.sold_added
        assert month.managed_removed <= 0 <= month.managed_added


def test_twelve_months_end_with_the_current_one_on_today():
    months = fold_months([], on=ON)
    assert months[0].month == D(2025, 12, 1)
    assert months[-1].month == D(2026, 11, 1)
    assert months[-1].end == ON


def test_a_sale_expiring_in_a_month_is_removed_in_that_month():
    rows: list[Row] = [("sold", 10_000, D(2025, 11, 20), D(2026, 11, 20))]
    months = fold_months(rows, on=D(2026, 11, 30))
    assert months[-1].sold_removed == -100
    assert months[-1].sold_active == 0
    assert months[-2].sold_active == 100
