"""What the ledger posting must look at since its last complete run: the due work of an idle
sweep is found by indexes on crm's `updated_at` and date columns, so its cost follows what
changed, not how many sales and subscriptions the program holds.

A record needs another look when it (or its customer, whose country prices it) was saved since
the last run, or when a date it carries (close, start, churn, an MRR change) has come due since
the last day posted. A new rule version, or one taking effect, can price everything anew: that
run looks at everything, as does the first one.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q

from openprm.crm.models import Customer, Opportunity, Subscription, SubscriptionMrrChange
from openprm.points.ledger.sources import RuleBook
from openprm.points.models import LedgerWatermark

# `updated_at` is set when a row is saved, before its transaction commits: a row saved this long
# before the last run started may have become visible only after it, so it is looked at again.
COMMIT_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class DueSources:
    """The opportunities and subscriptions to look at; `None` means all of them."""

    mark: LedgerWatermark | None
    opportunity_ids: list[int] | None = None
    subscription_ids: list[int] | None = None


def rules_price_anew(mark: LedgerWatermark, on: date, book: RuleBook) -> bool:
    return any(
        r.version > mark.rules_version or mark.posted_through < r.effective_from <= on
        for r in book.versions
    )


def due_sources(*, on: date, book: RuleBook) -> DueSources:
    """Each list is read by one query whose conditions are all indexed columns or short id
    lists, so the database combines index scans instead of reading every row."""
    mark = LedgerWatermark.objects.first()
    if mark is None or on < mark.posted_through or rules_price_anew(mark, on, book):
        return DueSources(mark=mark)
    since = mark.checked_at - COMMIT_MARGIN
    came_due = {"gt": mark.posted_through, "lte": on}
    customers = list(Customer.objects.filter(updated_at__gte=since).values_list("pk", flat=True))
    saved = Q(updated_at__gte=since) | Q(customer_id__in=customers)
    changed_mrr = SubscriptionMrrChange.objects.filter(
        effective_on__gt=came_due["gt"], effective_on__lte=on
    ).values_list("subscription_id", flat=True)
    opportunities = Opportunity.objects.filter(
        saved | Q(closed_on__gt=came_due["gt"], closed_on__lte=on)
    )
    subscriptions = Subscription.objects.filter(
        saved
        | Q(started_on__gt=came_due["gt"], started_on__lte=on)
        | Q(ended_on__gt=came_due["gt"], ended_on__lte=on)
        | Q(pk__in=list(changed_mrr))
    )
    return DueSources(
        mark=mark,
        opportunity_ids=list(opportunities.values_list("pk", flat=True)),
        subscription_ids=list(subscriptions.values_list("pk", flat=True)),
    )


def watermark_advance(*, due: DueSources, on: date, checked_at: datetime, book: RuleBook) -> None:
    """After a run that left nothing for later: everything up to `on`, saved before
    `checked_at`, is level. A run for an earlier day never moves the mark back."""
    mark = due.mark or LedgerWatermark(pk=1, posted_through=on)
    mark.checked_at = checked_at
    mark.posted_through = max(on, mark.posted_through)
    mark.rules_version = max((r.version for r in book.versions), default=0)
    mark.save()
