"""The ledger posting looks only at what changed or came due since its last complete run, and
still posts everything: a record saved since, a date come due, a new rule version."""

import datetime

import pytest

from openprm.core.sweep import run_sweep
from openprm.crm.models import SubscriptionMrrChange
from openprm.points.ledger import services
from openprm.points.ledger.sources import RuleBook
from openprm.points.ledger.watermark import COMMIT_MARGIN, due_sources
from openprm.points.models import CauseKind, PointEntry, RuleSet
from openprm.points.tests.factories import SubscriptionFactory, WonOpportunityFactory

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 30, 12, tzinfo=datetime.UTC)
TODAY = NOON.date()
LATER = NOON + COMMIT_MARGIN + datetime.timedelta(minutes=1)


@pytest.fixture
def level_ledger(northwind, time_machine):
    """A sale and a managed subscription posted at noon, and a run after the margin passed."""
    time_machine.move_to(NOON, tick=False)
    WonOpportunityFactory.create(organization=northwind, closed_on=TODAY)
    subscription = SubscriptionFactory.create(
        started_on=datetime.date(2026, 1, 15), mrr_minor=600_00, managing_partners=[northwind]
    )
    services.ledger_catch_up(on=TODAY)
    time_machine.move_to(LATER, tick=False)
    services.ledger_catch_up(on=TODAY)
    return subscription


def test_running_the_sweep_twice_posts_nothing_the_second_time(level_ledger):
    WonOpportunityFactory.create(organization=level_ledger.managing_partners.get(), closed_on=TODAY)
    assert run_sweep()["due_work"]["points.ledger_post"] == 1
    assert run_sweep()["due_work"]["points.ledger_post"] == 0


def test_an_idle_run_looks_at_no_record_saved_before_the_last_run(level_ledger):
    due = due_sources(on=TODAY, book=RuleBook())
    assert due.opportunity_ids == []
    assert due.subscription_ids == []


def test_a_subscription_saved_since_the_last_run_is_posted(level_ledger, tailspin):
    level_ledger.save()
    level_ledger.managing_partners.add(tailspin)
    done = services.ledger_catch_up(on=TODAY)
    assert done.managed == 2
    assert PointEntry.objects.filter(organization=tailspin, subscription=level_ledger).exists()


def test_an_mrr_change_is_posted_when_its_day_comes(level_ledger, time_machine):
    raise_on = TODAY + datetime.timedelta(days=5)
    SubscriptionMrrChange.objects.create(
        subscription=level_ledger, effective_on=raise_on, mrr_minor=900_00
    )
    time_machine.move_to(LATER + datetime.timedelta(days=6), tick=False)
    services.ledger_catch_up(on=TODAY + datetime.timedelta(days=1))
    assert due_sources(on=raise_on, book=RuleBook()).subscription_ids == [level_ledger.pk]
    services.ledger_catch_up(on=raise_on)
    assert PointEntry.objects.filter(
        subscription=level_ledger, cause_kind=CauseKind.SUBSCRIPTION_CHANGE, cause_on=raise_on
    ).exists()


def test_a_sale_closed_on_a_later_day_is_posted_when_that_day_comes(level_ledger, time_machine):
    closes_on = TODAY + datetime.timedelta(days=3)
    time_machine.move_to(NOON - datetime.timedelta(days=1), tick=False)
    sale = WonOpportunityFactory.create(
        organization=level_ledger.managing_partners.get(), closed_on=closes_on
    )
    time_machine.move_to(LATER + datetime.timedelta(days=3), tick=False)
    assert services.ledger_catch_up(on=closes_on).sales == 1
    assert PointEntry.objects.filter(opportunity=sale).exists()


def test_a_new_rule_version_makes_the_next_run_look_at_everything(level_ledger):
    first = RuleSet.objects.get()
    first.pk, first.version = None, first.version + 1
    first._state.adding = True
    first.save()
    due = due_sources(on=TODAY, book=RuleBook())
    assert due.opportunity_ids is None
    assert due.subscription_ids is None
