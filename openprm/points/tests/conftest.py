"""Shared tier fixtures: a fixed "today" and Northwind holding Gold."""

import datetime

import pytest
import time_machine

from openprm.crm.tests.factories import UsageSnapshotFactory
from openprm.points.tests.factories import certify, manage, sell
from openprm.points.tests.records import commission_book
from openprm.points.tiers import services as tier_services

D = datetime.date
TODAY = D(2026, 11, 10)


@pytest.fixture
def on_10_november():
    with time_machine.travel(datetime.datetime(2026, 11, 10, 10, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def gold(northwind, on_10_november):
    """Northwind holds Gold: 100 sourced points expiring 1 December, 30 assisted, 200 managed
    (a customer with 12 active users)."""
    certify(northwind, until=D(2027, 6, 30))
    sell(northwind, mrr_minor=2000_00, closed_on=D(2025, 12, 1))
    sell(northwind, mrr_minor=1000_00, closed_on=D(2026, 10, 1), source="assisted")
    subscription = manage(northwind, mrr_minor=20_000_00, since=D(2026, 1, 1))
    UsageSnapshotFactory.create(customer=subscription.customer, taken_on=D(2026, 11, 1))
    tier_services.tier_evaluate(partner=northwind, on=D(2026, 11, 1))
    return northwind


@pytest.fixture
def today(time_machine):
    """The commission fixtures are hand-computed for 1 December 2026."""
    time_machine.move_to(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
    return D(2026, 12, 1)


@pytest.fixture
def eligible_book(today, northwind, tailspin):
    """Northwind's commission book (`records.commission_book`), computed by hand."""
    return commission_book(northwind)
