"""`points_verify` recomputes the ledger from opportunities and subscriptions."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from openprm.crm.models import Source
from openprm.points.ledger import services
from openprm.points.ledger.verify import ledger_differences
from openprm.points.models import CauseKind, PointEntry
from openprm.points.tests.factories import (
    CustomerFactory,
    SubscriptionFactory,
    WonOpportunityFactory,
)

pytestmark = pytest.mark.django_db


def verify() -> str:
    out = StringIO()
    call_command("points_verify", stdout=out)
    return out.getvalue()


def tamper(entry: PointEntry, **values) -> None:
    """Change a row behind the service's back, as a stray SQL statement would."""
    assignments = ", ".join(f"{column} = %s" for column in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE points_pointentry SET {assignments} WHERE id = %s",
            [*values.values(), entry.pk],
        )


@pytest.fixture
def posted_ledger(northwind, tailspin):
    today = timezone.localdate()
    sale = services.sale_post(opportunity=WonOpportunityFactory.create(organization=northwind))
    services.sale_post(
        opportunity=WonOpportunityFactory.create(organization=tailspin, source=Source.ASSISTED)
    )
    subscription = SubscriptionFactory.create(managing_partners=[northwind, tailspin])
    services.subscription_managed_sync(
        subscription=subscription, on=today, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    return sale, subscription


def test_verify_is_clean_when_the_ledger_matches_the_sources(posted_ledger):
    assert "matches" in verify()


def test_verify_reports_a_tampered_sale_entry(posted_ledger, northwind):
    sale, _subscription = posted_ledger
    tamper(sale, points_hundredths=99_999)
    out = StringIO()
    with pytest.raises(CommandError, match="1 difference"):
        call_command("points_verify", stdout=out)
    assert f"partner {northwind.pk} opportunity:{sale.opportunity_id}" in out.getvalue()
    assert "points_hundredths expected 500, ledger has 99999" in out.getvalue()


def test_verify_reports_a_tampered_expiry(posted_ledger):
    sale, _subscription = posted_ledger
    tamper(sale, expires_on=sale.expires_on + datetime.timedelta(days=365))
    with pytest.raises(CommandError):
        verify()


def test_verify_reports_a_tampered_managed_entry(posted_ledger, tailspin):
    _sale, subscription = posted_ledger
    entry = PointEntry.objects.get(subscription=subscription, organization=tailspin)
    tamper(entry, points_hundredths=1)
    out = StringIO()
    with pytest.raises(CommandError, match="1 difference"):
        call_command("points_verify", stdout=out)
    assert f"subscription:{subscription.pk}" in out.getvalue()


def test_verify_reports_a_won_sale_the_ledger_never_received(northwind):
    WonOpportunityFactory.create(organization=northwind)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("points_verify", stdout=out)
    assert "expected a sale entry, ledger has none" in out.getvalue()


def test_verify_reports_managed_points_behind_a_subscription_change(posted_ledger):
    _sale, subscription = posted_ledger
    subscription.mrr_minor = 900_00
    subscription.save()
    with pytest.raises(CommandError, match="2 difference"):
        verify()


def test_verify_reads_in_a_fixed_number_of_queries(
    northwind, tailspin, django_assert_max_num_queries
):
    for _ in range(10):
        services.sale_post(opportunity=WonOpportunityFactory.create(organization=northwind))
        subscription = SubscriptionFactory.create(managing_partners=[northwind, tailspin])
        services.subscription_managed_sync(
            subscription=subscription,
            on=timezone.localdate(),
            cause_kind=CauseKind.MANAGEMENT_CHANGE,
        )
    with django_assert_max_num_queries(10):
        assert ledger_differences(timezone.localdate()) == []


def test_verify_reports_managed_points_filed_under_another_customer(posted_ledger, northwind):
    _sale, subscription = posted_ledger
    entry = PointEntry.objects.get(subscription=subscription, organization=northwind)
    other = CustomerFactory.create()
    tamper(entry, customer_id=other.pk)
    out = StringIO()
    with pytest.raises(CommandError, match="1 difference"):
        call_command("points_verify", stdout=out)
    assert f"customer_id expected its customer, ledger has {other.pk}" in out.getvalue()
