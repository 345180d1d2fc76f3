"""The catch-up job posts what crm recorded without knowing about points."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openprm.core.sweep import registered_finders, run_sweep
from openprm.crm.models import Currency, OpportunityState, SubscriptionMrrChange
from openprm.points.ledger import selectors, services
from openprm.points.models import CauseKind, PointEntry
from openprm.points.rulesets import services as ruleset_services
from openprm.points.tests.factories import (
    CustomerFactory,
    SubscriptionFactory,
    WonOpportunityFactory,
    currency,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)
START = datetime.date(2026, 1, 15)
RAISE = datetime.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def history(northwind, tailspin):
    """A won and an open deal; a subscription started in January, raised in March."""
    WonOpportunityFactory.create(organization=northwind, closed_on=datetime.date(2026, 5, 1))
    WonOpportunityFactory.create(organization=tailspin, state=OpportunityState.OPEN, closed_on=None)
    subscription = SubscriptionFactory.create(
        started_on=START, mrr_minor=600_00, managing_partners=[northwind, tailspin]
    )
    SubscriptionMrrChange.objects.create(
        subscription=subscription, effective_on=START, mrr_minor=200_00
    )
    SubscriptionMrrChange.objects.create(
        subscription=subscription, effective_on=RAISE, mrr_minor=600_00
    )
    return subscription


def test_catch_up_posts_won_sales_and_replays_subscription_history(northwind, history):
    done = services.ledger_catch_up(on=TODAY)
    assert done.sales == 1
    assert done.managed == 4
    assert selectors.points_totals(organization=northwind).sold == Decimal("5.00")
    assert selectors.points_totals(organization=northwind, on=START).managed == Decimal("1.00")
    assert selectors.points_totals(organization=northwind).managed == Decimal("3.00")
    kinds = set(
        PointEntry.objects.filter(subscription=history).values_list("cause_kind", "cause_on")
    )
    assert kinds == {
        (CauseKind.MANAGEMENT_CHANGE, START),
        (CauseKind.SUBSCRIPTION_CHANGE, RAISE),
    }


def test_catch_up_twice_posts_nothing_new(history):
    services.ledger_catch_up(on=TODAY)
    again = services.ledger_catch_up(on=TODAY)
    assert (again.sales, again.managed) == (0, 0)


def test_after_catch_up_verify_is_clean(history):
    out = StringIO()
    call_command("points_post", stdout=out)
    assert "Posted 1 sale entries and 4 managed entries" in out.getvalue()
    verified = StringIO()
    call_command("points_verify", stdout=verified)
    assert "matches" in verified.getvalue()


def test_catch_up_posts_a_churn_on_its_day(northwind, tailspin, history):
    services.ledger_catch_up(on=TODAY)
    churned = datetime.date(2026, 7, 10)
    history.ended_on = churned
    history.mrr_minor = 0
    history.save()
    SubscriptionMrrChange.objects.create(subscription=history, effective_on=churned, mrr_minor=0)
    services.ledger_catch_up(on=datetime.date(2026, 7, 31))
    churn = PointEntry.objects.filter(subscription=history, cause_kind=CauseKind.CHURN)
    assert {(e.cause_on, e.points) for e in churn} == {(churned, Decimal("-3.00"))}
    assert selectors.points_totals(organization=tailspin, on=churned).managed == Decimal("0.00")


def test_catch_up_moves_the_share_of_a_partner_that_left(northwind, tailspin, history):
    services.ledger_catch_up(on=TODAY)
    history.managing_partners.remove(tailspin)
    later = datetime.date(2026, 7, 2)
    services.ledger_catch_up(on=later)
    assert selectors.points_totals(organization=northwind, on=later).managed == Decimal("6.00")
    assert selectors.points_totals(organization=tailspin, on=later).managed == Decimal("0.00")
    left = PointEntry.objects.get(organization=tailspin, cause_on=later)
    assert left.cause_kind == CauseKind.MANAGEMENT_CHANGE


def test_a_currency_newer_than_the_rules_is_priced_from_the_next_version(northwind, victor):
    Currency.objects.create(code="ZAR", name="South African rand", usd100_equivalent=1800)
    customer = CustomerFactory.create(country="ZA", currency=currency("ZAR"))
    today_sale = WonOpportunityFactory.create(
        organization=northwind, customer=customer, mrr_minor=1800_00, closed_on=TODAY
    )
    assert services.ledger_catch_up(on=TODAY).skipped == [f"opportunity:{today_sale.pk}"]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("points_verify", stdout=out)
    assert f"opportunity:{today_sale.pk}: rules expected a rule version that prices it" in (
        out.getvalue()
    )
    tomorrow = TODAY + datetime.timedelta(days=1)
    ruleset_services.ruleset_publish(actor=victor, effective_from=tomorrow, note="Adds ZAR")
    tomorrow_sale = WonOpportunityFactory.create(
        organization=northwind, customer=customer, mrr_minor=1800_00, closed_on=tomorrow
    )
    done = services.ledger_catch_up(on=tomorrow)
    assert (done.sales, done.skipped) == (1, [f"opportunity:{today_sale.pk}"])
    entry = PointEntry.objects.get(opportunity=tomorrow_sale)
    assert (entry.points, entry.rule_version.version) == (Decimal("5.00"), 2)


def test_catching_up_to_an_earlier_day_posts_nothing(history):
    services.ledger_catch_up(on=TODAY)
    earlier = services.ledger_catch_up(on=datetime.date(2026, 2, 1))
    assert (earlier.sales, earlier.managed, earlier.skipped) == (0, 0, [])


def test_the_sweep_posts_a_sale_won_since_the_last_sweep(northwind):
    sale = WonOpportunityFactory.create(organization=northwind, closed_on=TODAY)
    report = run_sweep()
    assert report["due_work"]["points.ledger_post"] == 1
    assert PointEntry.objects.get(opportunity=sale).points == Decimal("5.00")
    assert run_sweep()["due_work"]["points.ledger_post"] == 0


def test_the_sweep_posts_the_ledger_before_it_evaluates_tiers():
    finders = list(registered_finders())
    assert finders.index("points.ledger_post") < finders.index("points.tiers_evaluate")


def test_a_bounded_catch_up_leaves_the_other_subscriptions_for_the_next_run(northwind):
    for _ in range(3):
        SubscriptionFactory.create(
            started_on=START, mrr_minor=100_00, managing_partners=[northwind]
        )
    first = services.ledger_catch_up(on=TODAY, max_subscriptions=2)
    assert (first.managed, first.deferred) == (2, 1)
    second = services.ledger_catch_up(on=TODAY, max_subscriptions=2)
    assert (second.managed, second.deferred) == (1, 0)
    assert selectors.points_totals(organization=northwind).managed == Decimal("3.00")


def test_a_catch_up_with_nothing_to_post_reads_as_many_queries_however_many_records(
    northwind, history, django_assert_max_num_queries
):
    services.ledger_catch_up(on=TODAY)
    with CaptureQueriesContext(connection) as few_records:
        services.ledger_catch_up(on=TODAY)
    for _ in range(5):
        WonOpportunityFactory.create(organization=northwind, closed_on=TODAY)
        SubscriptionFactory.create(
            started_on=START, mrr_minor=100_00, managing_partners=[northwind]
        )
    services.ledger_catch_up(on=TODAY)
    with django_assert_max_num_queries(len(few_records)):
        done = services.ledger_catch_up(on=TODAY)
    assert done.posted == 0


def test_a_zero_point_sale_is_never_posted(northwind):
    WonOpportunityFactory.create(organization=northwind, mrr_minor=0, closed_on=TODAY)
    assert services.ledger_catch_up(on=TODAY).sales == 0
    assert not PointEntry.objects.exists()
