"""The sweep's commission statements look at every partner only when a quarter closed since
their last run; otherwise only at partners whose sales were saved since (openprm.core.marks)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openprm.core.marks import COMMIT_MARGIN
from openprm.core.sweep import run_sweep
from openprm.points.commissions import services
from openprm.points.models import CommissionSettlement
from openprm.points.tests.records import eligible_sale, won

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def settled(eligible_book, time_machine):
    """Northwind's closed quarters settled by the sweep, and the commit margin passed."""
    services.statements_generate_due(now=datetime.datetime.now(datetime.UTC))
    time_machine.shift(COMMIT_MARGIN + datetime.timedelta(minutes=1))
    services.statements_generate_due(now=datetime.datetime.now(datetime.UTC))
    return eligible_book


def test_an_idle_run_reads_no_sale(settled):
    with CaptureQueriesContext(connection) as run:
        assert services.statements_generate_due(now=datetime.datetime.now(datetime.UTC)) == 0
    aggregates = [q["sql"] for q in run.captured_queries if "MIN(" in q["sql"].upper()]
    assert aggregates == []


def test_a_sale_saved_since_the_last_run_settles_its_partners_quarters(settled, tailspin):
    eligible_sale(won(tailspin, D(2026, 2, 10)))
    run_sweep()
    assert sorted(
        CommissionSettlement.objects.filter(organization=tailspin).values_list(
            "quarter_start", flat=True
        )
    ) == [D(2026, 1, 1), D(2026, 4, 1), D(2026, 7, 1)]


def test_a_quarter_closed_since_the_last_run_settles_every_partner(settled, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC), tick=False)
    assert run_sweep()["due_work"]["points.commission_statements"] == 1
    assert CommissionSettlement.objects.filter(
        organization=settled, quarter_start=D(2026, 10, 1)
    ).exists()
