"""Commissions (E13): immutable quarterly statements from the subscription records, against a
fixture computed by hand; generation is idempotent and runs as a command and in the sweep."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from openprm.core.sweep import run_sweep
from openprm.crm.tests.factories import CustomerFactory
from openprm.points.commissions import engine, selectors, services
from openprm.points.models import (
    CommissionProgram,
    CommissionSettlement,
    CommissionStatement,
    ImmutableStatement,
)
from openprm.points.tests.records import eligible_sale, won

pytestmark = pytest.mark.django_db

D = datetime.date


def quarters(partner) -> list[tuple]:
    return list(
        CommissionStatement.objects.filter(organization=partner)
        .order_by("quarter_start")
        .values_list("quarter_start", "revenue_minor", "commission_minor", "payable_on")
    )


def test_statements_are_written_for_each_closed_quarter(eligible_book, today):
    assert services.statements_generate(on=today) == 3
    assert quarters(eligible_book) == [
        (D(2026, 1, 1), 2_000_00, 400_00, D(2026, 6, 29)),
        (D(2026, 4, 1), 4_000_00, 800_00, D(2026, 9, 28)),
        (D(2026, 7, 1), 4_500_00, 900_00, D(2026, 12, 29)),
    ]


def test_generating_again_writes_nothing(eligible_book, today):
    services.statements_generate(on=today)
    assert services.statements_generate(on=today) == 0
    assert CommissionStatement.objects.count() == 3


def test_a_second_run_with_nothing_due_reads_a_few_queries(
    eligible_book, today, django_assert_max_num_queries
):
    services.statements_generate(on=today)
    with django_assert_max_num_queries(2):
        assert services.statements_generate(on=today) == 0


def test_a_quarter_with_nothing_due_is_settled_once(eligible_book, today):
    services.statements_generate(on=today)
    assert set(
        CommissionSettlement.objects.filter(organization=eligible_book).values_list(
            "quarter_start", "statements"
        )
    ) == {(D(2026, 1, 1), 1), (D(2026, 4, 1), 1), (D(2026, 7, 1), 1)}
    # A quarter closes: October to December 2026 is due on 1 January, then settled.
    assert services.statements_generate(on=D(2027, 1, 1)) == 1
    assert services.statements_generate(on=D(2027, 1, 2)) == 0


def test_a_partner_with_eligible_sales_but_no_revenue_settles_with_no_statements(northwind, today):
    eligible_sale(won(northwind, D(2026, 2, 10), customer=CustomerFactory.create()))
    assert services.statements_generate(on=today) == 0
    assert CommissionSettlement.objects.filter(organization=northwind, statements=0).count() == 3
    assert CommissionStatement.objects.count() == 0


def test_the_command_writes_the_missing_statements(eligible_book, today):
    out = io.StringIO()
    call_command("commission_statements", stdout=out)
    assert out.getvalue().strip() == "Commission statements written: 3"


def test_the_sweep_writes_the_missing_statements(eligible_book, today):
    assert run_sweep()["due_work"]["points.commission_statements"] == 3
    assert run_sweep()["due_work"]["points.commission_statements"] == 0


def test_a_statement_never_changes(eligible_book, today):
    services.statements_generate(on=today)
    statement = CommissionStatement.objects.first()
    assert statement is not None
    statement.commission_minor = 1
    with pytest.raises(ImmutableStatement):
        statement.save()
    with pytest.raises(ImmutableStatement):
        CommissionStatement.objects.update(commission_minor=1)


def test_a_written_statement_keeps_its_figures_when_the_records_change(eligible_book, today):
    services.statements_generate(on=today)
    CommissionProgram.objects.update(rate_percent=Decimal("50"))
    services.statements_generate(on=today)
    assert quarters(eligible_book)[0][2] == 400_00


def test_the_current_quarter_is_an_estimate_not_a_statement(eligible_book, today):
    estimate = selectors.current_quarter_estimate(partner=eligible_book, on=today)
    assert [(e.quarter_start, e.currency, e.commission) for e in estimate] == [
        (D(2026, 10, 1), "USD", Decimal("600.00"))
    ]


def test_the_rate_and_years_are_program_configuration(eligible_book, today):
    CommissionProgram.objects.update(rate_percent=Decimal("10"))
    services.statements_generate(on=today)
    assert quarters(eligible_book)[0][2] == 200_00


def test_the_window_closes_after_the_configured_years():
    changes = [(D(2023, 1, 1), 100_00)]
    revenue = engine.window_revenue(
        changes=changes, ended_on=None, sale_on=D(2023, 1, 15), years=3,
        start=D(2025, 10, 1), end=D(2026, 3, 31),
    )  # fmt: skip
    assert revenue == 3 * 100_00  # October to December 2025; January 2026 is past the window


def test_a_churned_subscription_earns_nothing_after_it_ends():
    revenue = engine.window_revenue(
        changes=[(D(2026, 1, 1), 100_00)], ended_on=D(2026, 2, 15), sale_on=D(2026, 1, 1),
        years=3, start=D(2026, 1, 1), end=D(2026, 3, 31),
    )  # fmt: skip
    assert revenue == 100_00


@given(
    revenue=st.integers(min_value=0, max_value=10**12),
    rate=st.decimals(min_value=0, max_value=100, places=2),
)
def test_commission_is_the_rate_of_the_revenue_rounded_half_up(revenue, rate):
    share = engine.commission_minor(revenue, rate)
    exact = Decimal(revenue) * rate / 100
    assert abs(Decimal(share) - exact) <= Decimal("0.5")
    assert 0 <= share <= revenue
