"""The commission models moved from the dashboard app to points (points 0004, dashboard 0003): a
database upgraded from before the move keeps its program settings, statements, lines and
settlements, under the points tables, and their events and admin history follow them."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from openprm.core.models import Event
from openprm.crm.tests.factories import CustomerFactory, SubscriptionFactory
from openprm.points.models import (
    CommissionLine,
    CommissionProgram,
    CommissionSettlement,
    CommissionStatement,
)
from openprm.points.tests.records import won

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

D = datetime.date
BEFORE = [("dashboard", "0002_commission_settlement"), ("points", "0003_tier_evaluations")]
AFTER = [("dashboard", "0003_commissions_to_points"), ("points", "0004_commissions_from_dashboard")]
TABLES = ("commissionprogram", "commissionstatement", "commissionline", "commissionsettlement")


def migrate(targets):
    """Migrate the two apps to `targets` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def upgraded(northwind, victor):
    """Rows written by the dashboard's models before the move, then the move itself."""
    old = migrate(BEFORE)
    customer = CustomerFactory.create(name="Acme")
    subscription = SubscriptionFactory.create(customer=customer, currency=customer.currency)
    sale = won(northwind, D(2026, 2, 10), customer=customer)
    old.get_model("dashboard", "CommissionProgram").objects.create(
        pk=1, rate_percent=Decimal("15.00"), years=2, payment_delay_days=60
    )
    statement = old.get_model("dashboard", "CommissionStatement").objects.create(
        organization_id=northwind.pk, quarter_start=D(2026, 1, 1), quarter_end=D(2026, 3, 31),
        currency_id=customer.currency_id, rate_percent=Decimal("15.00"), revenue_minor=2_000_00,
        commission_minor=300_00, payable_on=D(2026, 5, 30),
    )  # fmt: skip
    old.get_model("dashboard", "CommissionLine").objects.create(
        statement=statement, opportunity_id=sale.pk, subscription_id=subscription.pk,
        customer_id=customer.pk, sale_on=D(2026, 2, 10), revenue_minor=2_000_00,
        commission_minor=300_00,
    )  # fmt: skip
    old.get_model("dashboard", "CommissionSettlement").objects.create(
        organization_id=northwind.pk, quarter_start=D(2026, 1, 1), statements=1
    )
    old_type, _created = ContentType.objects.get_or_create(
        app_label="dashboard", model="commissionprogram"
    )
    event = Event.objects.create(
        kind="dashboard.commission_statement", object_type="dashboard.commissionstatement",
        object_id=str(statement.pk), organization=northwind,
    )  # fmt: skip
    change = LogEntry.objects.create(
        user=victor, content_type_id=old_type.pk, object_id="1", object_repr="Commission program",
        action_flag=CHANGE,
    )  # fmt: skip
    migrate(AFTER)
    ContentType.objects.clear_cache()
    return {"statement": statement.pk, "event": event.pk, "change": change.pk}


def test_an_upgraded_database_keeps_its_commission_rows_under_the_points_models(
    upgraded, northwind
):
    program = CommissionProgram.current()
    assert (program.rate_percent, program.years, program.payment_delay_days) == (15, 2, 60)
    statement = CommissionStatement.objects.get(pk=upgraded["statement"])
    assert (statement.organization, statement.quarter_start, statement.commission_minor) == (
        northwind, D(2026, 1, 1), 300_00,
    )  # fmt: skip
    line = CommissionLine.objects.get(statement=statement)
    assert (line.customer.name, line.revenue_minor, line.commission_minor) == ("Acme", 2_000_00,
                                                                               300_00)  # fmt: skip
    assert CommissionSettlement.objects.filter(organization=northwind, statements=1).exists()
    tables = set(connection.introspection.table_names())
    assert {f"points_{name}" for name in TABLES} <= tables
    assert not {f"dashboard_{name}" for name in TABLES} & tables


def test_an_upgraded_database_numbers_new_statements_after_the_old_ones(upgraded, northwind):
    old = CommissionStatement.objects.get(pk=upgraded["statement"])
    new = CommissionStatement.objects.create(
        organization=northwind, quarter_start=D(2026, 4, 1), quarter_end=D(2026, 6, 30),
        currency=old.currency, rate_percent=Decimal("15.00"), revenue_minor=0, commission_minor=0,
        payable_on=D(2026, 8, 30),
    )  # fmt: skip
    assert new.pk > old.pk


def test_the_events_and_admin_history_of_the_moved_models_follow_them(upgraded):
    event = Event.objects.get(pk=upgraded["event"])
    assert (event.kind, event.object_type) == (
        "points.commission_statement", "points.commissionstatement",
    )  # fmt: skip
    change = LogEntry.objects.get(pk=upgraded["change"])
    assert change.content_type == ContentType.objects.get_for_model(CommissionProgram)
    assert change.get_edited_object() == CommissionProgram.current()
