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
    Rules,
    managed_points_whole,
    sold_expiry,
    sold_points,
    split_evenly,
    to_hundredths,
)


class RuleBook:
    """Every rule version, read once: a check of thousands of sales looks each date up here."""

    def __init__(self) -> None:
        RuleSet.objects.ensure_first_version()
        self.versions = sorted(RuleSet.objects.all(), key=lambda r: (r.effective_from, r.version))
        self._rules: dict[int, Rules] = {}

    def on(self, day: date) -> RuleSet:
        """The same answer as `RuleSet.objects.effective_on(day)`."""
        in_force = [r for r in self.versions if r.effective_from <= day]
        if not in_force:
            raise RuleSet.DoesNotExist(f"No rule version is in effect on {day}.")
        return in_force[-1]

    def get(self, pk: int) -> RuleSet:
        return next(r for r in self.versions if r.pk == pk)

    def rules(self, ruleset: RuleSet) -> Rules:
        if ruleset.pk not in self._rules:
            self._rules[ruleset.pk] = ruleset.to_rules()
        return self._rules[ruleset.pk]


@dataclass(frozen=True)
class ExpectedSale:
    organization_id: int
    customer_id: int
    opportunity_id: int
    points_hundredths: int
    active_from: date
    expires_on: date
    rule_version: int


def expected_sale(opportunity: Opportunity, book: RuleBook | None = None) -> ExpectedSale | None:
    """The sold entry a won opportunity earns under the rules in force on its close date."""
    if opportunity.state != OpportunityState.WON or opportunity.closed_on is None:
        return None
    book = book or RuleBook()
    ruleset = book.on(opportunity.closed_on)
    rules = book.rules(ruleset)
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
    changes = [c for c in subscription.mrr_changes.all() if c.effective_on <= day]
    if not changes:
        return subscription.mrr_minor
    return max(changes, key=lambda c: c.effective_on).mrr_minor


def is_active_on(subscription: Subscription, day: date) -> bool:
    return subscription.started_on <= day and (
        subscription.ended_on is None or subscription.ended_on > day
    )


def expected_managed_shares(subscription: Subscription, day: date, rules: Rules) -> dict[int, int]:
    """Hundredths of managed points each managing partner holds for the subscription on `day`.

    Partners are ordered by id, so the hundredths an uneven split leaves go to the same
    partners every time.
    """
    if not is_active_on(subscription, day):
        return {}
    partner_ids = sorted(partner.pk for partner in subscription.managing_partners.all())
    if not partner_ids:
        return {}
    whole = managed_points_whole(
        mrr=from_minor(mrr_minor_on(subscription, day), subscription.currency_id),
        currency=subscription.currency_id,
        country=str(subscription.customer.country),
        rules=rules,
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
