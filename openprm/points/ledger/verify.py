"""`points_verify`: recompute what the ledger should hold from the source records, and compare.

Sold points are checked entry by entry (one per won opportunity and partner). Managed points
are checked as the balance each partner holds per subscription on the day of the check, since
the source records keep the current managing partners, not their history.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, Sum

from openprm.crm.models import Opportunity, OpportunityState, Subscription
from openprm.points.ledger.sources import RuleBook, expected_managed_shares, expected_sale
from openprm.points.models import CauseKind, PointEntry, RuleSet, Track
from openprm.points.rules import UnknownCurrency


@dataclass(frozen=True)
class Difference:
    partner_id: int | None
    cause: str
    field: str
    expected: str
    actual: str

    def __str__(self) -> str:
        who = f"partner {self.partner_id} " if self.partner_id is not None else ""
        return f"{who}{self.cause}: {self.field} expected {self.expected}, ledger has {self.actual}"


SALE_FIELDS = ("customer_id", "points_hundredths", "active_from", "expires_on", "rule_version")


def sale_differences(as_of: date, book: RuleBook) -> Iterator[Difference]:
    entries = {
        (e.organization_id, e.opportunity_id): e
        for e in PointEntry.objects.filter(cause_kind=CauseKind.SALE, active_from__lte=as_of)
    }
    won = Opportunity.objects.filter(
        state=OpportunityState.WON, closed_on__lte=as_of
    ).select_related("customer")
    for opportunity in won.iterator(chunk_size=2000):
        key = (opportunity.organization_id, opportunity.pk)
        cause = f"opportunity:{opportunity.pk}"
        entry = entries.pop(key, None)
        try:
            expected = expected_sale(opportunity, book)
        except (UnknownCurrency, RuleSet.DoesNotExist):
            yield Difference(key[0], cause, "rules", "a rule version that prices it", "none")
            continue
        if expected is None and entry is None:
            continue
        if entry is None:
            yield Difference(key[0], cause, "entry", "a sale entry", "none")
            continue
        if expected is None:
            yield Difference(key[0], cause, "entry", "none", f"{entry.points} points")
            continue
        for field in SALE_FIELDS:
            want = getattr(expected, field)
            have = entry.rule_version_id if field == "rule_version" else getattr(entry, field)
            if want != have:
                yield Difference(key[0], cause, field, str(want), str(have))
    for (partner_id, opportunity_id), entry in entries.items():
        yield Difference(
            partner_id, f"opportunity:{opportunity_id}", "entry", "none", f"{entry.points} points"
        )


def managed_differences(as_of: date, book: RuleBook) -> Iterator[Difference]:
    held: dict[int, dict[int, int]] = defaultdict(dict)
    latest_version: dict[int, int] = {}
    managed = PointEntry.objects.filter(track=Track.MANAGED, active_from__lte=as_of)
    for row in managed.values("organization_id", "subscription_id").annotate(
        total=Sum("points_hundredths")
    ):
        held[row["subscription_id"]][row["organization_id"]] = row["total"]
    misfiled = managed.exclude(customer_id=F("subscription__customer_id"))
    for entry in misfiled.only("id", "organization_id", "subscription_id", "customer_id"):
        cause = f"subscription:{entry.subscription_id}"
        yield Difference(
            entry.organization_id, cause, "customer_id", "its customer", str(entry.customer_id)
        )
    for subscription_id, used_version in managed.order_by("active_from", "id").values_list(
        "subscription_id", "rule_version_id"
    ):
        latest_version[subscription_id] = used_version
    subscriptions = (
        Subscription.objects.filter(Q(pk__in=latest_version) | Q(managing_partners__isnull=False))
        .distinct()
        .select_related("customer")
        .prefetch_related("managing_partners", "mrr_changes")
    )
    for subscription in subscriptions:
        # The rules the latest posting used: a newer rule version reaches managed points
        # through the next sync, not retroactively.
        version_id = latest_version.get(subscription.pk)
        try:
            ruleset = book.get(version_id) if version_id else book.on(as_of)
            targets = expected_managed_shares(subscription, as_of, book.rules(ruleset))
        except (UnknownCurrency, RuleSet.DoesNotExist):
            cause = f"subscription:{subscription.pk}"
            yield Difference(None, cause, "rules", "a rule version that prices it", "none")
            continue
        holdings = held.get(subscription.pk, {})
        for partner_id in sorted(set(holdings) | set(targets)):
            want = targets.get(partner_id, 0)
            have = holdings.get(partner_id, 0)
            if want != have:
                yield Difference(
                    partner_id,
                    f"subscription:{subscription.pk}",
                    "managed points (hundredths)",
                    str(want),
                    str(have),
                )


def ledger_differences(as_of: date) -> list[Difference]:
    book = RuleBook()
    return [*sale_differences(as_of, book), *managed_differences(as_of, book)]
