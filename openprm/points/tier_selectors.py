"""Reads behind Partner > Tier (SPEC E7) and the path to the next tier (issue item 7).

Every function takes a partner already resolved by `partner_for`, which answers another
partner (or a partner the vendor user does not look after) exactly like a missing one.
"""

import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization
from openprm.accounts.roles import Role
from openprm.core.errors import NotFound, field_error
from openprm.core.money import from_minor
from openprm.crm.models import (
    Customer,
    Opportunity,
    OpportunityState,
    Subscription,
    UsageSnapshot,
)
from openprm.points.models import PointEntry, RuleSet, TierChange, expires_within
from openprm.points.rules import UnknownCurrency, performance_rank, sold_points
from openprm.points.rulesets.selectors import rules_in_force
from openprm.points.selectors import (
    TierStatus,
    TrackPoints,
    certification_valid_until,
    tier_status,
)
from openprm.points.tier_services import CERTIFICATION_ALERT_DAYS

EXPIRY_HORIZON_DAYS = 90


def partner_for(*, user: Any, partner_id: int | None = None) -> Organization:
    """The partner whose tier figures `user` asks for: its own, or one the vendor user sees.

    Partners see only themselves; the program admin every partner; a PDM the partners they
    look after; other vendor roles none. Vendor staff must name the partner.
    """
    if not getattr(user, "is_authenticated", False) or user.organization is None:
        raise NotFound()
    if user.is_partner:
        if partner_id is not None and partner_id != user.organization.pk:
            raise NotFound()
        return user.organization
    partners = Organization.objects.partners()
    if user.role == Role.PDM:
        partners = partners.filter(pdm=user)
    elif user.role != Role.PROGRAM_ADMIN:
        raise NotFound()
    if partner_id is None:
        raise field_error("partner", _("Choose a partner."), "required")
    partner = partners.filter(pk=partner_id).first()
    if partner is None:
        raise NotFound()
    return partner


def tier_changes(*, partner: Organization) -> list[TierChange]:
    return list(TierChange.objects.filter(organization=partner).select_related("rule_version"))


@dataclass(frozen=True)
class AccountPerformance:
    median_active_users: Decimal | None  # None when no managed customer has usage data
    customers_with_usage: int
    certification_valid_until: date | None
    days_left: int | None
    alert_days: int | None  # 60 or 14 when the certification lapses within that many days


def account_performance(*, partner: Organization, on: date | None = None) -> AccountPerformance:
    """Median tool usage of the customers the partner manages (their latest snapshot on or
    before `on`), and how long its certification stays valid."""
    day = on or timezone.localdate()
    managed = (
        Subscription.objects.filter(managing_partners=partner, started_on__lte=day)
        .exclude(ended_on__lte=day)
        .values("customer_id")
    )
    latest = (
        UsageSnapshot.objects.filter(customer_id=OuterRef("pk"), taken_on__lte=day)
        .order_by("-taken_on")
        .values("active_users")[:1]
    )
    usage = [
        value
        for value in Customer.objects.filter(pk__in=managed)
        .annotate(latest=Subquery(latest))
        .values_list("latest", flat=True)
        if value is not None
    ]
    valid_until = certification_valid_until(organization=partner, on=day)
    days_left = (valid_until - day).days if valid_until else None
    alerts = [d for d in CERTIFICATION_ALERT_DAYS if days_left is not None and days_left <= d]
    return AccountPerformance(
        median_active_users=Decimal(str(statistics.median(usage))) if usage else None,
        customers_with_usage=len(usage),
        certification_valid_until=valid_until,
        days_left=days_left,
        alert_days=min(alerts) if alerts else None,
    )


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
    day = on or timezone.localdate()
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
