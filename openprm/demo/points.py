"""The demo's points ledger and tier history (SPEC E2, E7, E12).

The demo program runs its own rule version: the default rates with tier thresholds sized to
the demo's partners, so that partners sit in every tier. The ledger is what the posting
services would write for the generated sales and subscriptions (the same `sources`
functions price them), written in bulk so `openprm demo` stays fast and `points verify` finds
nothing to report. Then the monthly tier evaluation runs over the last half year, so credited
tiers, promotions, a grace period and its demotions are there to look at; one partner's
customers churn just before this month's evaluation, so it is in a grace period today.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max

from openprm.crm.models import Opportunity, OpportunityState, Subscription, SubscriptionMrrChange
from openprm.demo.context import Demo
from openprm.points import defaults
from openprm.points.ledger.services import cause_for, change_dates
from openprm.points.ledger.sources import RuleBook, expected_managed_shares, expected_sale
from openprm.points.models import PointEntry, RuleSet, Track
from openprm.points.rules import Rules, add_months, from_hundredths, performance_rank
from openprm.points.rulesets.services import snapshot_tables
from openprm.points.tiers.selectors import certification_valid_until
from openprm.points.tiers.services import tier_evaluate

# Sized to the demo at scale 1, where partners hold roughly 3,000 to 10,000 points; smaller
# test programs sell less per partner (`Demo.volume`), and their thresholds shrink with it.
DEMO_TIERS = [
    {"name": "Gold", "threshold": "2500", "sold_minimum": "800", "managed_minimum": "600"},
    {"name": "Platinum", "threshold": "4000", "sold_minimum": "1300", "managed_minimum": "1000"},
    {"name": "Diamond", "threshold": "6000", "sold_minimum": "2000", "managed_minimum": "1500"},
    {"name": "Elite", "threshold": "8000", "sold_minimum": "2700", "managed_minimum": "2000"},
]
EVALUATED_MONTHS = 6
CHURN_DAYS_BEFORE_EVALUATION = 10


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
    """The next version (2 after the migration's first), in force from before any demo sale:
    the default rates with the demo's tiers."""
    RuleSet.objects.ensure_first_version()
    currencies, markets = snapshot_tables()
    ruleset = RuleSet(
        version=(RuleSet.objects.aggregate(v=Max("version"))["v"] or 0) + 1,
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
        .prefetch_related("mrr_changes", "managing_partners")
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


def points_on(entries: list[PointEntry], day: date) -> dict[int, tuple[Decimal, Decimal]]:
    """(sold, managed) points each partner holds on `day`, as the ledger would sum them."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for entry in entries:
        if entry.active_from <= day and (entry.expires_on is None or entry.expires_on > day):
            totals[entry.organization_id][entry.track == Track.MANAGED] += entry.points_hundredths
    return {
        partner: (from_hundredths(sold), from_hundredths(managed))
        for partner, (sold, managed) in totals.items()
    }


def rank_of(points: tuple[Decimal, Decimal], certified: bool, rules: Rules) -> int:
    sold, managed = points
    return performance_rank(sold=sold, managed=managed, certified=certified, rules=rules)


def without(held: tuple[Decimal, Decimal], managed_hundredths: int) -> tuple[Decimal, Decimal]:
    sold, managed = held
    return sold, managed - from_hundredths(managed_hundredths)


def managed_shares(entries: list[PointEntry], day: date) -> dict[int, dict[int, int]]:
    """Hundredths of managed points each partner holds per subscription on `day`."""
    shares: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for entry in entries:
        if entry.subscription_id and entry.track == Track.MANAGED and entry.active_from <= day:
            shares[entry.subscription_id][entry.organization_id] += entry.points_hundredths
    return shares


def churn_into_grace(demo: Demo, book: RuleBook) -> list[Subscription]:
    """One partner at risk on the channel dashboard: customers it alone manages churned ten
    days before this month's evaluation take it below the tier it held all last month, so the
    evaluation starts its grace period, and it is still below today. The partner that needs
    the smallest such churn is chosen, and its churn is written into the billing records
    before the ledger is built, so the ledger and `points verify` agree with them."""
    evaluation = demo.today.replace(day=1)
    churn_on = evaluation - timedelta(days=CHURN_DAYS_BEFORE_EVALUATION)
    rules = book.rules(book.on(evaluation))
    entries = sale_entries(book, demo.today) + managed_entries(book, demo.today)
    days = (add_months(evaluation, -1), evaluation, demo.today)
    points = {day: points_on(entries, day) for day in days}
    shares = {day: managed_shares(entries, day) for day in days[1:]}
    churnable = Subscription.objects.filter(
        started_on__lt=churn_on, ended_on__isnull=True, pk__in=list(shares[evaluation])
    ).exclude(mrr_changes__effective_on__gte=churn_on)
    alone: dict[int, list[Subscription]] = defaultdict(list)  # partner -> its own customers'
    for subscription in churnable.order_by("pk"):
        held = [p for p, h in shares[evaluation][subscription.pk].items() if h > 0]
        if len(held) == 1:
            alone[held[0]].append(subscription)
    zero = (Decimal(0), Decimal(0))
    best: tuple[int, list[Subscription]] | None = None
    for partner_book in demo.partners:
        partner = partner_book.org.pk
        valid = certification_valid_until(organization=partner_book.org, on=demo.today) is not None
        ranks = [rank_of(points[day].get(partner, zero), valid, rules) for day in days]
        if not ranks[0] == ranks[1] > 0:
            continue
        lost = dict.fromkeys(days[1:], 0)
        chosen = []
        for subscription in sorted(
            alone[partner], key=lambda s: (-shares[evaluation][s.pk][partner], s.pk)
        ):
            chosen.append(subscription)
            for day in lost:
                lost[day] += shares[day][subscription.pk].get(partner, 0)
            if all(
                rank_of(without(points[day].get(partner, zero), lost[day]), valid, rules) < ranks[1]
                for day in lost
            ):
                if best is None or lost[evaluation] < best[0]:
                    best = (lost[evaluation], chosen)
                break
    if best is None:
        return []
    churned = best[1]
    Subscription.objects.filter(pk__in=[s.pk for s in churned]).update(
        ended_on=churn_on, mrr_minor=0, renewal_on=None
    )
    SubscriptionMrrChange.objects.bulk_create(
        SubscriptionMrrChange(subscription=s, effective_on=churn_on, mrr_minor=0) for s in churned
    )
    return churned


def build_points(demo: Demo) -> None:
    publish_demo_rules(demo.volume)
    book = RuleBook()
    churned = churn_into_grace(demo, book)
    if churned:
        demo.say(
            f"Points: {len(churned)} of a partner's subscriptions churned before the evaluation"
        )
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
