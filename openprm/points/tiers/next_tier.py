"""The path to the next tier on Partner > Tier (SPEC E7, issue item 7): the open opportunities
that would lift the partner if won, and the sold points expiring soon.

Every function takes a partner already resolved by `selectors.partner_for`, which answers
another partner (or a partner the vendor user does not look after) exactly like a missing one.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from openprm.accounts.models import Organization
from openprm.core.dates import program_today
from openprm.core.money import from_minor
from openprm.crm.models import (
    Opportunity,
    OpportunityState,
)
from openprm.points.models import PointEntry, RuleSet, expires_within
from openprm.points.rules import UnknownCurrency, performance_rank, sold_points
from openprm.points.rulesets.selectors import rules_in_force
from openprm.points.tiers.selectors import (
    TierStatus,
    TrackPoints,
    certification_valid_until,
    tier_status,
)

EXPIRY_HORIZON_DAYS = 90


@dataclass(frozen=True)
class OpenOpportunity:
    opportunity_id: int
    name: str
    customer_name: str
    source: str
    mrr: Decimal
    currency: str
    estimated_points: Decimal
    lifts_alone: bool
    # One of the fewest largest opportunities that lift the partner together (this one
    # and every larger one above it in the list, up to the first whose sum reaches the tier).
    lifts_with_larger: bool


@dataclass(frozen=True)
class ExpiringPoints:
    entry_id: int
    customer_id: int
    customer_name: str
    points: Decimal
    expires_on: date


@dataclass(frozen=True)
class TierPath:
    status: TierStatus
    opportunities: list[OpenOpportunity]
    sold_cannot_close: bool  # the next tier also needs managed points no sale brings
    expiring: list[ExpiringPoints]
    expiring_total: Decimal
    horizon: date
    performance_after_expiry: str  # "" = no tier
    drops_credited_tier: bool


def _earned(points: TrackPoints, *, certified: bool, rules: Any) -> int:
    return performance_rank(
        sold=points.sold, managed=points.managed, certified=certified, rules=rules
    )


def _with_sold(points: TrackPoints, extra: Decimal) -> TrackPoints:
    return TrackPoints(
        sourced=points.sourced + extra, assisted=points.assisted, managed=points.managed
    )


def open_opportunities_toward_next_tier(
    *, partner: Organization, status: TierStatus, rules: Any
) -> list[OpenOpportunity]:
    """The partner's open opportunities, largest estimate first, priced as if won on
    `status.on` by the same rule function the ledger posts sales with."""
    target_rank = rules.tier_rank(status.next_tier)
    opportunities = Opportunity.objects.filter(
        organization=partner, state=OpportunityState.OPEN
    ).select_related("customer")
    priced = []
    for opportunity in opportunities:
        try:
            points = sold_points(
                mrr=from_minor(opportunity.mrr_minor, opportunity.currency_id),
                currency=opportunity.currency_id,
                source=opportunity.source,
                country=str(opportunity.customer.country),
                rules=rules,
            )
        except UnknownCurrency:
            continue
        if points > 0:
            priced.append((opportunity, points))
    priced.sort(key=lambda pair: (-pair[1], pair[0].pk))
    # The fewest of the largest opportunities that reach the tier together.
    needed, running = 0, Decimal(0)
    for index, (_opportunity, points) in enumerate(priced, start=1):
        running += points
        if (
            target_rank
            and _earned(_with_sold(status.points, running), certified=status.certified, rules=rules)
            >= target_rank
        ):
            needed = index
            break
    rows = []
    for index, (opportunity, points) in enumerate(priced, start=1):
        alone = _earned(_with_sold(status.points, points), certified=status.certified, rules=rules)
        rows.append(
            OpenOpportunity(
                opportunity_id=opportunity.pk,
                name=opportunity.name,
                customer_name=opportunity.customer.name,
                source=opportunity.source,
                mrr=from_minor(opportunity.mrr_minor, opportunity.currency_id),
                currency=opportunity.currency_id,
                estimated_points=points,
                lifts_alone=bool(target_rank) and alone >= target_rank,
                lifts_with_larger=index <= needed,
            )
        )
    return rows


def expiring_points(*, partner: Organization, on: date, until: date) -> list[ExpiringPoints]:
    """Sold entries that count on `on` and stop counting by `until`."""
    entries = (
        PointEntry.objects.filter(expires_within(on, until), organization=partner)
        .select_related("customer")
        .order_by("expires_on", "id")
    )
    return [
        ExpiringPoints(
            entry_id=entry.pk,
            customer_id=entry.customer_id,
            customer_name=entry.customer.name,
            points=entry.points,
            expires_on=entry.expires_on,
        )
        for entry in entries
        if entry.expires_on is not None
    ]


def tier_path(
    *, partner: Organization, on: date | None = None, ruleset: RuleSet | None = None
) -> TierPath:
    """What would lift the partner to the next tier, and what expires in the next 90 days.

    `ruleset` is the one in force on `on`, when the caller has read it already."""
    day = on or program_today()
    ruleset = ruleset or rules_in_force(day)
    status = tier_status(partner=partner, day=day, ruleset=ruleset)
    rules = ruleset.to_rules()
    horizon = day + timedelta(days=EXPIRY_HORIZON_DAYS)
    expiring = expiring_points(partner=partner, on=day, until=horizon)
    expiring_total = sum((e.points for e in expiring), Decimal("0.00"))
    sold_after = max(status.points.sold - expiring_total, Decimal(0))
    after = TrackPoints(sourced=sold_after, assisted=Decimal(0), managed=status.points.managed)
    still_certified = certification_valid_until(organization=partner, on=horizon) is not None
    rank_after = _earned(after, certified=still_certified, rules=rules)
    next_rule = rules.tier_named(status.next_tier)
    return TierPath(
        status=status,
        opportunities=open_opportunities_toward_next_tier(
            partner=partner, status=status, rules=rules
        ),
        sold_cannot_close=bool(next_rule and next_rule.managed_minimum > status.points.managed),
        expiring=expiring,
        expiring_total=expiring_total,
        horizon=horizon,
        performance_after_expiry=rules.tiers[rank_after - 1].name if rank_after else "",
        drops_credited_tier=rank_after < rules.tier_rank(status.credited_tier),
    )
