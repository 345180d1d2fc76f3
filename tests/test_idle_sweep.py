"""An idle sweep, run every minute, costs the same few queries however large the program is:
due work is found by indexed columns (a registration's warned period, the ledger's watermark),
never by rereading every record."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openprm.core.sweep import run_sweep
from openprm.deals.models import Registration
from openprm.deals.tests.factories import create_deal
from openprm.points.ledger.watermark import COMMIT_MARGIN
from openprm.points.tests.factories import SubscriptionFactory, WonOpportunityFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 23, 9, 0, tzinfo=datetime.UTC)
PAST_THE_MARGIN = COMMIT_MARGIN + datetime.timedelta(minutes=1)


def add_records(alice, count: int) -> None:
    """Deals whose registrations expire within the warning days, won sales and subscriptions."""
    for n in range(count):
        deal = create_deal(actor=alice, name=f"Deal {n}")
        Registration.objects.filter(opportunity=deal.opportunity).update(
            expires_at=START + datetime.timedelta(days=3)
        )
        WonOpportunityFactory.create(organization=alice.organization)
        SubscriptionFactory.create(managing_partners=[alice.organization])


def settle(time_machine) -> None:
    """Run the sweep until everything due was done and the margin has passed."""
    run_sweep()
    time_machine.shift(PAST_THE_MARGIN)
    run_sweep()
    time_machine.shift(datetime.timedelta(minutes=1))


def test_an_idle_sweep_costs_no_more_queries_on_a_larger_program(
    alice, time_machine, django_assert_max_num_queries
):
    time_machine.move_to(START, tick=False)
    add_records(alice, 1)
    settle(time_machine)
    with CaptureQueriesContext(connection) as small_program:
        run_sweep()
    add_records(alice, 6)
    settle(time_machine)
    with django_assert_max_num_queries(len(small_program)):
        report = run_sweep()
    assert sum(report["due_work"].values()) == 0
