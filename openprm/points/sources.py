"""What the source records say a partner should hold: shared by the posting services and verify.

Reads crm's opportunities and subscriptions only; both the ledger services and
`points_verify` compute expected points here, so they cannot drift apart.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from openprm.core.money import from_minor
from openprm.crm.models import Opportunity, OpportunityState, Subscription
from openprm.points.models import PointEntry, RuleSet, Track
from openprm.points.rules import (
    managed_points_whole,
    sold_expiry,
    sold_points,
    split_evenly,
    to_hundredths,
)


@dataclass(frozen=True)
class ExpectedSale:
    organization_id: int
    customer_id: int
    opportunity_id: int
    points_hundredths: int
    active_from: date
    expires_on: date
    rule_version: int


def expected_sale(opportunity: Opportunity) -> ExpectedSale | None:
    """The sold entry a won opportunity earns under the rules in force on its close date."""
    if opportunity.state != OpportunityState.WON or opportunity.closed_on is None:
        return None
    ruleset = RuleSet.objects.effective_on(opportunity.closed_on)
    rules = ruleset.to_rules()
    points = sold_points(
        mrr=from_minor(opportunity.mrr_minor, opportunity.currency_id),
        currency=opportunity.currency_id,
        source=opportunity.source,
        country=str(opportunity.customer.country),
        rules=rules,
    )
    if points == 0:
        return None
    return ExpectedSale(
        organization_id=opportunity.organization_id,
        customer_id=opportunity.customer_id,
        opportunity_id=opportunity.pk,
        points_hundredths=to_hundredths(points),
        active_from=opportunity.closed_on,
        expires_on=sold_expiry(opportunity.closed_on, rules),
        rule_version=ruleset.pk,
    )


def mrr_minor_on(subscription: Subscription, day: date) -> int:
    """The subscription's MRR on `day`: its latest change by then, else its current MRR."""
    change = subscription.mrr_changes.filter(effective_on__lte=day).order_by("-effective_on")
    latest = change.values_list("mrr_minor", flat=True).first()
    return subscription.mrr_minor if latest is None else latest


def is_active_on(subscription: Subscription, day: date) -> bool:
    return subscription.started_on <= day and (
        subscription.ended_on is None or subscription.ended_on > day
    )


def expected_managed_shares(
    subscription: Subscription, day: date, ruleset: RuleSet
) -> dict[int, int]:
    """Hundredths of managed points each managing partner holds for the subscription on `day`.

    Partners are ordered by id, so the hundredths an uneven split leaves go to the same
    partners every time.
    """
    if not is_active_on(subscription, day):
        return {}
    partner_ids = sorted(subscription.managing_partners.values_list("pk", flat=True))
    if not partner_ids:
        return {}
    whole = managed_points_whole(
        mrr=from_minor(mrr_minor_on(subscription, day), subscription.currency_id),
        currency=subscription.currency_id,
        country=str(subscription.customer.country),
        rules=ruleset.to_rules(),
    )
    shares = split_evenly(whole, len(partner_ids))
    return {pk: to_hundredths(share) for pk, share in zip(partner_ids, shares, strict=True)}


def managed_hundredths_by_partner(subscription: Subscription, day: date) -> dict[int, int]:
    """What the ledger holds for each partner on the subscription on `day`."""
    rows = (
        PointEntry.objects.filter(subscription=subscription, track=Track.MANAGED)
        .active_on(day)
        .values("organization_id")
        .annotate(total=Sum("points_hundredths"))
    )
    return {row["organization_id"]: row["total"] for row in rows}
