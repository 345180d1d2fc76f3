"""Posting sold and managed points, idempotency per cause, and the append-only rules."""

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from openprm.accounts.tests.factories import PartnerFactory
from openprm.core.models import Event
from openprm.crm.models import Currency, OpportunityState, Source, SubscriptionMrrChange
from openprm.points.ledger import selectors, services
from openprm.points.models import CauseKind, ImmutableRow, PointEntry, RuleSet, Track
from openprm.points.rulesets import services as ruleset_services
from openprm.points.tests.factories import (
    CustomerFactory,
    SubscriptionFactory,
    WonOpportunityFactory,
    currency,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)
TOMORROW = datetime.date(2026, 3, 11)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, tzinfo=datetime.UTC), tick=False):
        yield


def test_a_won_sourced_sale_posts_sold_points_for_twelve_months(northwind):
    opportunity = WonOpportunityFactory.create(organization=northwind, mrr_minor=200_00)
    entry = services.sale_post(opportunity=opportunity)
    assert entry is not None
    assert entry.track == Track.SOLD
    assert entry.cause_kind == CauseKind.SALE
    assert entry.points == Decimal("10.00")
    assert entry.active_from == TODAY
    assert entry.expires_on == datetime.date(2027, 3, 10)
    assert entry.rule_version.version == 1
    assert entry.cause_reference == f"opportunity:{opportunity.pk}"


def test_an_assisted_sale_earns_the_assisted_rate(northwind):
    opportunity = WonOpportunityFactory.create(
        organization=northwind, source=Source.ASSISTED, mrr_minor=200_00
    )
    entry = services.sale_post(opportunity=opportunity)
    assert entry is not None
    assert entry.points == Decimal("6.00")


def test_a_growth_market_customer_earns_double_in_its_own_currency(northwind):
    customer = CustomerFactory.create(country="TH", currency=currency("THB"))
    opportunity = WonOpportunityFactory.create(
        organization=northwind, customer=customer, mrr_minor=3400_00
    )
    entry = services.sale_post(opportunity=opportunity)
    assert entry is not None
    assert entry.points == Decimal("10.00")


def test_posting_a_sale_twice_posts_one_entry(northwind):
    opportunity = WonOpportunityFactory.create(organization=northwind)
    first = services.sale_post(opportunity=opportunity)
    second = services.sale_post(opportunity=opportunity)
    assert first == second
    assert PointEntry.objects.filter(opportunity=opportunity).count() == 1


def test_the_database_refuses_a_second_entry_for_the_same_sale(northwind):
    opportunity = WonOpportunityFactory.create(organization=northwind)
    entry = services.sale_post(opportunity=opportunity)
    assert entry is not None
    duplicate = PointEntry(
        organization=northwind,
        customer=entry.customer,
        track=Track.SOLD,
        points_hundredths=1,
        cause_kind=CauseKind.SALE,
        opportunity=opportunity,
        cause_on=TODAY,
        active_from=TODAY,
        expires_on=entry.expires_on,
        rule_version=entry.rule_version,
    )
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_an_open_opportunity_posts_nothing(northwind):
    opportunity = WonOpportunityFactory.create(
        organization=northwind, state=OpportunityState.OPEN, closed_on=None
    )
    assert services.sale_post(opportunity=opportunity) is None
    assert not PointEntry.objects.exists()


def test_managed_points_are_split_evenly_and_sum_to_the_whole(northwind, tailspin):
    third = PartnerFactory.create()
    subscription = SubscriptionFactory.create(
        mrr_minor=100_00, managing_partners=[northwind, tailspin, third]
    )
    entries = services.subscription_managed_sync(
        subscription=subscription, on=TODAY, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    shares = {e.organization_id: e.points for e in entries}
    assert sum(shares.values()) == Decimal("1.00")
    assert sorted(shares.values()) == [Decimal("0.33"), Decimal("0.33"), Decimal("0.34")]
    assert shares[min(shares)] == Decimal("0.34")


def test_syncing_a_subscription_twice_posts_nothing_new(northwind):
    subscription = SubscriptionFactory.create(managing_partners=[northwind])
    kwargs: dict[str, Any] = {
        "subscription": subscription,
        "on": TODAY,
        "cause_kind": CauseKind.SUBSCRIPTION_CHANGE,
    }
    assert len(services.subscription_managed_sync(**kwargs)) == 1
    assert services.subscription_managed_sync(**kwargs) == []
    assert selectors.points_totals(organization=northwind).managed == Decimal("3.00")


def test_an_mrr_change_posts_the_difference(northwind):
    subscription = SubscriptionFactory.create(mrr_minor=300_00, managing_partners=[northwind])
    services.subscription_managed_sync(
        subscription=subscription, on=TODAY, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    later = TODAY + datetime.timedelta(days=5)
    SubscriptionMrrChange.objects.create(
        subscription=subscription, effective_on=later, mrr_minor=500_00
    )
    (entry,) = services.subscription_managed_sync(
        subscription=subscription, on=later, cause_kind=CauseKind.SUBSCRIPTION_CHANGE
    )
    assert entry.points == Decimal("2.00")
    assert selectors.points_totals(organization=northwind, on=TODAY).managed == Decimal("3.00")
    assert selectors.points_totals(organization=northwind, on=later).managed == Decimal("5.00")


def test_a_churn_takes_the_managed_points_away_from_the_churn_date(northwind):
    subscription = SubscriptionFactory.create(managing_partners=[northwind])
    services.subscription_managed_sync(
        subscription=subscription, on=TODAY, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    churned = TODAY + datetime.timedelta(days=20)
    subscription.ended_on = churned
    subscription.save()
    (entry,) = services.subscription_managed_sync(
        subscription=subscription, on=churned, cause_kind=CauseKind.CHURN
    )
    assert entry.points == Decimal("-3.00")
    assert selectors.points_totals(organization=northwind, on=churned).managed == Decimal("0.00")


def test_a_partner_that_stops_managing_loses_its_share_to_the_others(northwind, tailspin):
    subscription = SubscriptionFactory.create(
        mrr_minor=400_00, managing_partners=[northwind, tailspin]
    )
    services.subscription_managed_sync(
        subscription=subscription, on=TODAY, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    subscription.managing_partners.remove(tailspin)
    later = TODAY + datetime.timedelta(days=1)
    services.subscription_managed_sync(
        subscription=subscription, on=later, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    assert selectors.points_totals(organization=northwind, on=later).managed == Decimal("4.00")
    assert selectors.points_totals(organization=tailspin, on=later).managed == Decimal("0.00")
    assert selectors.points_totals(organization=tailspin, on=TODAY).managed == Decimal("2.00")


def test_a_second_change_on_the_same_day_is_its_own_entry(northwind):
    subscription = SubscriptionFactory.create(mrr_minor=100_00, managing_partners=[northwind])
    kwargs: dict[str, Any] = {
        "subscription": subscription,
        "on": TODAY,
        "cause_kind": CauseKind.SUBSCRIPTION_CHANGE,
    }
    services.subscription_managed_sync(**kwargs)
    subscription.mrr_minor = 300_00
    subscription.save()
    (entry,) = services.subscription_managed_sync(**kwargs)
    assert entry.sequence == 2
    assert entry.cause_reference.endswith("#2")
    assert selectors.points_totals(organization=northwind).managed == Decimal("3.00")


def test_a_sale_is_not_a_subscription_cause(northwind):
    subscription = SubscriptionFactory.create(managing_partners=[northwind])
    with pytest.raises(ValidationError, match="subscription events"):
        services.subscription_managed_sync(
            subscription=subscription, on=TODAY, cause_kind=CauseKind.SALE
        )


def test_ledger_entries_cannot_be_changed_or_deleted(northwind):
    entry = services.sale_post(opportunity=WonOpportunityFactory.create(organization=northwind))
    assert entry is not None
    entry.points_hundredths = 999_99
    with pytest.raises(ImmutableRow):
        entry.save()
    with pytest.raises(ImmutableRow):
        entry.delete()
    with pytest.raises(ImmutableRow):
        PointEntry.objects.filter(pk=entry.pk).update(points_hundredths=1)
    with pytest.raises(ImmutableRow):
        PointEntry.objects.filter(pk=entry.pk).delete()
    assert PointEntry.objects.get(pk=entry.pk).points == Decimal("5.00")


def test_expired_sold_points_no_longer_count(northwind):
    services.sale_post(opportunity=WonOpportunityFactory.create(organization=northwind))
    last_day = datetime.date(2027, 3, 9)
    assert selectors.points_totals(organization=northwind, on=last_day).sold == Decimal("5.00")
    expired = datetime.date(2027, 3, 10)
    assert selectors.points_totals(organization=northwind, on=expired).sold == Decimal("0.00")


def test_totals_add_sold_and_managed_from_the_ledger(northwind, tailspin):
    services.sale_post(
        opportunity=WonOpportunityFactory.create(organization=northwind, mrr_minor=1000_00)
    )
    services.sale_post(
        opportunity=WonOpportunityFactory.create(organization=tailspin, mrr_minor=1000_00)
    )
    subscription = SubscriptionFactory.create(mrr_minor=700_00, managing_partners=[northwind])
    services.subscription_managed_sync(
        subscription=subscription, on=TODAY, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    totals = selectors.points_totals(organization=northwind)
    assert (totals.sold, totals.managed, totals.total) == (
        Decimal("50.00"), Decimal("7.00"), Decimal("57.00"),
    )  # fmt: skip


def test_points_by_customer_shows_each_customers_sold_and_managed_points(northwind):
    customer = CustomerFactory.create(name="Fabrikam")
    services.sale_post(
        opportunity=WonOpportunityFactory.create(organization=northwind, customer=customer)
    )
    subscription = SubscriptionFactory.create(customer=customer, managing_partners=[northwind])
    services.subscription_managed_sync(
        subscription=subscription, on=TODAY, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    services.sale_post(
        opportunity=WonOpportunityFactory.create(organization=northwind, mrr_minor=20_00)
    )
    breakdown = selectors.points_by_customer(organization=northwind)
    assert breakdown[0].customer_name == "Fabrikam"
    assert (breakdown[0].sold, breakdown[0].managed) == (Decimal("5.00"), Decimal("3.00"))
    assert len(breakdown) == 2


def test_a_rule_version_cannot_be_changed_or_deleted():
    ruleset = RuleSet.objects.get(version=1)
    ruleset.sourced_rate = Decimal(50)
    with pytest.raises(ImmutableRow):
        ruleset.save()
    with pytest.raises(ImmutableRow):
        ruleset.delete()


def test_the_default_rules_snapshot_the_currency_and_market_tables():
    rules = RuleSet.objects.get(version=1).to_rules()
    assert rules.usd100_equivalent("EUR") == Decimal("88")
    assert rules.multiplier("TH") == Decimal("2")
    assert rules.multiplier("US") == Decimal("1")
    assert [t.name for t in rules.tiers] == ["Gold", "Platinum", "Diamond", "Elite"]
    assert rules.demotion_grace_months == 3


def test_a_currency_edit_changes_no_existing_rule_version(victor):
    Currency.objects.filter(code="EUR").update(usd100_equivalent=Decimal("95"))
    assert RuleSet.objects.get(version=1).to_rules().usd100_equivalent("EUR") == Decimal("88")
    published = ruleset_services.ruleset_publish(actor=victor, effective_from=TOMORROW)
    assert published.to_rules().usd100_equivalent("EUR") == Decimal("95")


def test_a_sale_keeps_the_rules_in_force_on_its_close_date(northwind, victor):
    next_month = datetime.date(2026, 4, 1)
    ruleset_services.ruleset_publish(
        actor=victor, effective_from=next_month, sourced_rate=Decimal(8), note="Spring promotion"
    )
    before = services.sale_post(opportunity=WonOpportunityFactory.create(organization=northwind))
    after = services.sale_post(
        opportunity=WonOpportunityFactory.create(organization=northwind, closed_on=next_month)
    )
    assert before is not None
    assert after is not None
    assert (before.points, before.rule_version.version) == (Decimal("5.00"), 1)
    assert (after.points, after.rule_version.version) == (Decimal("8.00"), 2)


@pytest.mark.parametrize("days", [-1, 0])
def test_rules_take_effect_tomorrow_at_the_earliest(victor, days):
    with pytest.raises(ValidationError, match="tomorrow") as error:
        ruleset_services.ruleset_publish(
            actor=victor, effective_from=TODAY + datetime.timedelta(days=days)
        )
    assert "effective_from" in error.value.message_dict


def test_tiers_must_climb(victor):
    tiers = [
        {"name": "Gold", "threshold": "100", "sold_minimum": "0", "managed_minimum": "0"},
        {"name": "Platinum", "threshold": "100", "sold_minimum": "0", "managed_minimum": "0"},
    ]
    with pytest.raises(ValidationError, match="above") as error:
        ruleset_services.ruleset_publish(actor=victor, effective_from=TOMORROW, tiers=tiers)
    assert "tiers" in error.value.message_dict


def test_publishing_records_an_event(victor):
    ruleset_services.ruleset_publish(actor=victor, effective_from=TOMORROW)
    assert Event.objects.filter(kind="points.rules_published", actor=victor).exists()


def test_the_program_settings_publish_a_new_version_and_keep_the_old(client, victor):
    client.force_login(victor)
    response = client.post(
        "/admin/points/ruleset/add/",
        {
            "effective_from": "2026-04-01",
            "note": "Assisted deals earn more",
            "sourced_rate": "5",
            "assisted_rate": "4",
            "managed_rate": "1",
            "sold_life_months": "12",
            "tiers": json.dumps(RuleSet.objects.get(version=1).tiers),
            "demotion_grace_months": "3",
            "evaluation_interval_months": "1",
        },
    )
    assert response.status_code == 302, response.content
    published = RuleSet.objects.get(version=2)
    assert published.assisted_rate == Decimal(4)
    assert published.to_rules().usd100_equivalent("GBP") == Decimal(74)
    assert RuleSet.objects.get(version=1).assisted_rate == Decimal(3)


def test_the_program_settings_refuse_a_backdated_version(client, victor):
    client.force_login(victor)
    tiers = json.dumps(RuleSet.objects.get(version=1).tiers)
    response = client.post(
        "/admin/points/ruleset/add/",
        {"effective_from": "2026-03-10", "sourced_rate": "5", "assisted_rate": "3",
         "managed_rate": "1", "sold_life_months": "12", "tiers": tiers,
         "demotion_grace_months": "3"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "tomorrow at the earliest" in response.content.decode()
    assert RuleSet.objects.count() == 1


def test_the_program_settings_show_versions_read_only(client, victor):
    client.force_login(victor)
    assert client.get("/admin/points/ruleset/").status_code == 200
    assert client.get("/admin/points/ruleset/add/").status_code == 200
    page = client.get("/admin/points/ruleset/1/change/").content.decode()
    assert 'name="sourced_rate"' not in page
    assert "Delete" not in page


def test_only_the_program_admin_reaches_the_rule_versions(client, pam):
    client.force_login(pam)
    response = client.get("/admin/points/ruleset/")
    assert response.status_code == 302
    assert response.url == "/admin/login/?next=/admin/points/ruleset/"


def test_a_change_before_the_latest_posting_is_refused(northwind):
    subscription = SubscriptionFactory.create(managing_partners=[northwind])
    services.subscription_managed_sync(
        subscription=subscription, on=TODAY, cause_kind=CauseKind.MANAGEMENT_CHANGE
    )
    with pytest.raises(ValidationError, match="already posted") as error:
        services.subscription_managed_sync(
            subscription=subscription,
            on=TODAY - datetime.timedelta(days=1),
            cause_kind=CauseKind.SUBSCRIPTION_CHANGE,
        )
    assert "on" in error.value.message_dict


def test_the_program_admin_can_read_the_ledger_but_not_change_it(client, victor, northwind):
    entry = services.sale_post(opportunity=WonOpportunityFactory.create(organization=northwind))
    assert entry is not None
    client.force_login(victor)
    listing = client.get("/admin/points/pointentry/")
    assert listing.status_code == 200
    assert f"opportunity:{entry.opportunity_id}" in listing.content.decode()
    assert client.get("/admin/points/pointentry/add/").status_code == 403
    detail = client.get(f"/admin/points/pointentry/{entry.pk}/change/").content.decode()
    assert 'name="points_hundredths"' not in detail


def test_an_emptied_rules_table_gets_the_default_version_back(northwind):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM points_ruleset")
    entry = services.sale_post(opportunity=WonOpportunityFactory.create(organization=northwind))
    assert entry is not None
    assert (entry.points, entry.rule_version.version) == (Decimal("5.00"), 1)
    assert RuleSet.objects.count() == 1
