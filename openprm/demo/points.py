"""The demo's points ledger and tier history (SPEC E2, E7, E12).

The demo program runs its own rule version: the default rates with tier thresholds sized to
the demo's partners, so that partners sit in every tier. The ledger is what the posting
services would write for the generated sales and subscriptions (the same `sources`
functions price them), written in bulk so `openprm demo` stays fast and `points verify` finds
nothing to report. Then the monthly tier evaluation runs over the last half year, so credited
tiers, promotions, a grace period and its demotions are there to look at.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from openprm.crm.models import Opportunity, OpportunityState, Subscription
from openprm.demo.context import Demo
from openprm.points import defaults
from openprm.points.models import PointEntry, RuleSet, Track
from openprm.points.rules import add_months
from openprm.points.services import cause_for, change_dates, snapshot_tables
from openprm.points.sources import RuleBook, expected_managed_shares, expected_sale
from openprm.points.tier_services import tier_evaluate

# Sized to the demo at scale 1, where partners hold roughly 3,000 to 10,000 points; smaller
# test programs sell less per partner (`Demo.volume`), and their thresholds shrink with it.
DEMO_TIERS = [
    {"name": "Gold", "threshold": "2500", "sold_minimum": "800", "managed_minimum": "600"},
    {"name": "Platinum", "threshold": "4000", "sold_minimum": "1300", "managed_minimum": "1000"},
    {"name": "Diamond", "threshold": "6000", "sold_minimum": "2000", "managed_minimum": "1500"},
    {"name": "Elite", "threshold": "8000", "sold_minimum": "2700", "managed_minimum": "2000"},
]
EVALUATED_MONTHS = 6


def demo_tiers(volume: float) -> list[dict[str, str]]:
    factor = Decimal(str(volume))
    return [
        {
            key: value if key == "name" else str(max(1, round(Decimal(value) * factor)))
            for key, value in tier.items()
        }
        for tier in DEMO_TIERS
    ]


def publish_demo_rules(volume: float) -> RuleSet:
    """Version 2, in force from before any demo sale: the defaults with the demo's tiers."""
    RuleSet.objects.ensure_first_version()
    currencies, markets = snapshot_tables()
    ruleset = RuleSet(
        version=2,
        effective_from=add_months(defaults.FIRST_EFFECTIVE_FROM, 1),
        note="Demo program tiers.",
        sourced_rate=defaults.SOURCED_RATE,
        assisted_rate=defaults.ASSISTED_RATE,
        managed_rate=defaults.MANAGED_RATE,
        usd100_equivalents=currencies,
        market_multipliers=markets,
        sold_life_months=defaults.SOLD_LIFE_MONTHS,
        tiers=demo_tiers(volume),
        demotion_grace_months=defaults.DEMOTION_GRACE_MONTHS,
    )
    ruleset.save()
    return ruleset


def sale_entries(book: RuleBook, today: date) -> list[PointEntry]:
    won = Opportunity.objects.filter(
        state=OpportunityState.WON, closed_on__lte=today
    ).select_related("customer")
    entries = []
    for opportunity in won.order_by("pk"):
        expected = expected_sale(opportunity, book)
        if expected is None:
            continue
        entries.append(
            PointEntry(
                organization_id=expected.organization_id,
                customer_id=expected.customer_id,
                track=Track.SOLD,
                points_hundredths=expected.points_hundredths,
                cause_kind="sale",
                opportunity_id=opportunity.pk,
                cause_on=expected.active_from,
                active_from=expected.active_from,
                expires_on=expected.expires_on,
                rule_version_id=expected.rule_version,
            )
        )
    return entries


def managed_entries(book: RuleBook, today: date) -> list[PointEntry]:
    """Each subscription's start, MRR changes and churn, as the catch-up would replay them."""
    subscriptions = (
        Subscription.objects.filter(managing_partners__isnull=False, started_on__lte=today)
        .distinct()
        .select_related("customer")
        .prefetch_related("mrr_changes", Prefetch("managing_partners"))
        .order_by("pk")
    )
    entries = []
    for subscription in subscriptions:
        held: dict[int, int] = {}
        for index, day in enumerate(change_dates(subscription, None, today)):
            ruleset = book.on(day)
            targets = expected_managed_shares(subscription, day, book.rules(ruleset))
            kind = cause_for(subscription, day, first=index == 0)
            for partner_id in sorted(set(targets) | set(held)):
                delta = targets.get(partner_id, 0) - held.get(partner_id, 0)
                if delta == 0:
                    continue
                held[partner_id] = targets.get(partner_id, 0)
                entries.append(
                    PointEntry(
                        organization_id=partner_id,
                        customer_id=subscription.customer_id,
                        track=Track.MANAGED,
                        points_hundredths=delta,
                        cause_kind=kind,
                        subscription_id=subscription.pk,
                        cause_on=day,
                        active_from=day,
                        rule_version_id=ruleset.pk,
                    )
                )
    return entries


def build_points(demo: Demo) -> None:
    publish_demo_rules(demo.volume)
    book = RuleBook()
    sold = sale_entries(book, demo.today)
    managed = managed_entries(book, demo.today)
    PointEntry.objects.bulk_create(sold + managed, batch_size=1000)
    demo.count("point entries", len(sold) + len(managed))
    first = demo.today.replace(day=1)
    evaluations = 0
    for offset in range(EVALUATED_MONTHS - 1, -1, -1):
        day = add_months(first, -offset)
        for partner in demo.partners:
            tier_evaluate(partner=partner.org, on=day)
            evaluations += 1
    for partner in demo.partners:
        partner.org.refresh_from_db(fields=["tier", "version"])
    demo.count("tier evaluations", evaluations)
    tiers = sorted({p.org.tier or "-" for p in demo.partners})
    demo.say(
        f"Points: {len(sold)} sale and {len(managed)} managed entries; "
        f"{evaluations} tier evaluations (credited tiers: {', '.join(tiers)})"
    )
