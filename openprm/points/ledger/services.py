"""Writes to the ledger: posting the points of sales and managed subscriptions, and warning
partners of sold points about to expire.

Every posting is idempotent per cause: a sale posts once per partner and opportunity, and a
subscription sync posts only the difference between what the source records say and what the
ledger already holds, so running it again posts nothing. A warning is written once per batch.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from openprm.accounts.models import Membership, User
from openprm.core.dates import program_today
from openprm.core.errors import field_error
from openprm.core.events import record_event
from openprm.crm.models import Opportunity, OpportunityState, Subscription
from openprm.notifications.kinds import TIER_AND_POINTS
from openprm.notifications.services import notify
from openprm.points.ledger.selectors import ExpiringBatch, expiring_batches_unwarned
from openprm.points.ledger.sources import (
    RuleBook,
    expected_managed_shares,
    expected_sale,
    managed_hundredths_by_partner,
)
from openprm.points.ledger.watermark import due_sources, watermark_advance
from openprm.points.models import CauseKind, ExpiryWarning, PointEntry, RuleSet, Track
from openprm.points.rules import UnknownCurrency

# Days before a batch of sold points expires that the partner's people are told.
EXPIRY_WARNING_DAYS = 30


def sale_post(*, opportunity: Opportunity, actor: User | None = None) -> PointEntry | None:
    """Post the sold points of a won opportunity once; a repeat returns the first entry.

    Sourced or assisted comes from the opportunity's source; a sale worth no points posts
    nothing.
    """
    existing = PointEntry.objects.filter(
        organization_id=opportunity.organization_id,
        opportunity=opportunity,
        cause_kind=CauseKind.SALE,
    ).first()
    if existing is not None:
        return existing
    expected = expected_sale(opportunity)
    if expected is None:
        return None
    try:
        with transaction.atomic():
            entry = PointEntry(
                organization_id=expected.organization_id,
                customer_id=expected.customer_id,
                track=Track.SOLD,
                points_hundredths=expected.points_hundredths,
                cause_kind=CauseKind.SALE,
                opportunity=opportunity,
                cause_on=expected.active_from,
                active_from=expected.active_from,
                expires_on=expected.expires_on,
                rule_version_id=expected.rule_version,
            )
            entry.full_clean()
            entry.save()
            record_event(
                kind="points.sale_posted",
                obj=entry,
                actor=actor,
                organization=opportunity.organization,
                data={"opportunity": opportunity.pk, "points": str(entry.points)},
            )
            return entry
    except IntegrityError:
        # A concurrent call posted the same sale first: the ledger already has it.
        return PointEntry.objects.get(
            organization_id=opportunity.organization_id,
            opportunity=opportunity,
            cause_kind=CauseKind.SALE,
        )


@transaction.atomic
def subscription_managed_sync(
    *, subscription: Subscription, on: date, cause_kind: str, actor: User | None = None
) -> list[PointEntry]:
    """Post the managed points that changed on `on` for every partner of the subscription.

    `cause_kind` says why (a subscription change, a churn, a management change). Each partner
    gets the difference between its even share under the rules in force on `on` and what the
    ledger holds, so a retry posts nothing. Changes are posted in date order: a day before
    the subscription's latest posting is refused, since the balances after it would be wrong.
    """
    if cause_kind == CauseKind.SALE or cause_kind not in CauseKind.values:
        raise field_error("cause_kind", _("Managed points change by subscription events only."))
    subscription = (
        Subscription.objects.select_for_update().select_related("customer").get(pk=subscription.pk)
    )
    later = PointEntry.objects.filter(subscription=subscription, cause_on__gt=on).exists()
    if later:
        raise field_error("on", _("Later changes of this subscription are already posted."))
    ruleset = RuleSet.objects.effective_on(on)
    targets = expected_managed_shares(subscription, on, ruleset.to_rules())
    held = managed_hundredths_by_partner(subscription, on)
    entries = []
    for partner_id in sorted(set(targets) | set(held)):
        delta = targets.get(partner_id, 0) - held.get(partner_id, 0)
        if delta == 0:
            continue
        same_day = PointEntry.objects.filter(
            organization_id=partner_id,
            subscription=subscription,
            cause_kind=cause_kind,
            cause_on=on,
        ).aggregate(last=Max("sequence"))["last"]
        entry = PointEntry(
            organization_id=partner_id,
            customer_id=subscription.customer_id,
            track=Track.MANAGED,
            points_hundredths=delta,
            cause_kind=cause_kind,
            subscription=subscription,
            cause_on=on,
            sequence=(same_day or 0) + 1,
            active_from=on,
            rule_version=ruleset,
        )
        entry.full_clean()
        entry.save()
        record_event(
            kind="points.managed_posted",
            obj=entry,
            actor=actor,
            organization=entry.organization,
            data={"subscription": subscription.pk, "points": str(entry.points)},
        )
        entries.append(entry)
    return entries


@dataclass
class CatchUp:
    sales: int = 0
    managed: int = 0
    skipped: list[str] = field(default_factory=list)
    # Subscriptions out of step that were left for the next run (see `ledger_catch_up`).
    deferred: int = 0

    @property
    def posted(self) -> int:
        return self.sales + self.managed


def change_dates(subscription: Subscription, after: date | None, until: date) -> list[date]:
    """The days the source records say the subscription changed: start, MRR changes, churn."""
    days = {subscription.started_on, *(c.effective_on for c in subscription.mrr_changes.all())}
    if subscription.ended_on:
        days.add(subscription.ended_on)
    return sorted(d for d in days if (after is None or d > after) and d <= until)


def cause_for(subscription: Subscription, day: date, first: bool) -> str:
    if first:
        return CauseKind.MANAGEMENT_CHANGE
    if subscription.ended_on == day:
        return CauseKind.CHURN
    return CauseKind.SUBSCRIPTION_CHANGE


def subscription_catch_up(
    *, subscription: Subscription, after: date | None, on: date, actor: User | None = None
) -> int:
    """Replay the subscription's changes since `after`, then settle partner changes on `on`."""
    if after is not None and after > on:
        return 0
    posted = 0
    for day in change_dates(subscription, after, on):
        kind = cause_for(subscription, day, first=after is None)
        entries = subscription_managed_sync(
            subscription=subscription, on=day, cause_kind=kind, actor=actor
        )
        posted += len(entries)
        after = after or (day if entries else None)
    entries = subscription_managed_sync(
        subscription=subscription, on=on, cause_kind=CauseKind.MANAGEMENT_CHANGE, actor=actor
    )
    return posted + len(entries)


def sales_catch_up(
    *,
    on: date,
    book: RuleBook,
    done: CatchUp,
    actor: User | None = None,
    only: list[int] | None = None,
) -> None:
    """Post each won sale (of those in `only`) the ledger lacks; a sale worth no points costs
    no query."""
    posted = PointEntry.objects.filter(cause_kind=CauseKind.SALE, opportunity__isnull=False)
    won = Opportunity.objects.filter(state=OpportunityState.WON, closed_on__lte=on)
    if only is not None and not only:
        return
    if only is not None:
        posted, won = posted.filter(opportunity_id__in=only), won.filter(pk__in=only)
    unposted = won.exclude(pk__in=posted.values("opportunity_id")).select_related(
        "customer", "organization"
    )
    for opportunity in unposted.iterator(chunk_size=500):
        try:
            if expected_sale(opportunity, book) is None:
                continue
            if sale_post(opportunity=opportunity, actor=actor) is not None:
                done.sales += 1
        except (UnknownCurrency, RuleSet.DoesNotExist):
            done.skipped.append(f"opportunity:{opportunity.pk}")


def subscriptions_out_of_step(
    *, on: date, book: RuleBook, done: CatchUp, only: list[int] | None = None
) -> Iterator[tuple[Subscription, date | None]]:
    """Each subscription whose managed entries the ledger does not hold yet, with the day of
    its latest posting: a change dated after that day, or shares on `on` that differ from
    the balances (a partner joined or left, or a new rule version prices it otherwise).

    Read in a few queries for every subscription at once (or for those in `only`), so a run
    with nothing to post costs well under a second on thousands of subscriptions.
    """
    if only is not None and not only:
        return
    managed = PointEntry.objects.filter(track=Track.MANAGED)
    subscriptions = Subscription.objects.all()
    if only is not None:
        managed = managed.filter(subscription_id__in=only)
        subscriptions = subscriptions.filter(pk__in=only)
    last_posted = dict(
        managed.values_list("subscription_id").annotate(last=Max("cause_on")).order_by()
    )
    held: dict[int, dict[int, int]] = defaultdict(dict)
    for subscription_id, partner_id, total in (
        managed.active_on(on)
        .values_list("subscription_id", "organization_id")
        .annotate(total=Sum("points_hundredths"))
        .order_by()
    ):
        if total:
            held[subscription_id][partner_id] = total
    subscriptions = (
        subscriptions.filter(
            Q(managing_partners__isnull=False) | Q(pk__in=managed.values("subscription_id"))
        )
        .distinct()
        .select_related("customer")
        .prefetch_related("mrr_changes", "managing_partners")
        .order_by("pk")
    )
    for subscription in subscriptions:
        after = last_posted.get(subscription.pk)
        try:
            targets = expected_managed_shares(subscription, on, book.rules(book.on(on)))
        except (UnknownCurrency, RuleSet.DoesNotExist):
            done.skipped.append(f"subscription:{subscription.pk}")
            continue
        if change_dates(subscription, after, on) or targets != held.get(subscription.pk, {}):
            yield subscription, after


def ledger_catch_up(
    *, on: date, actor: User | None = None, max_subscriptions: int | None = None
) -> CatchUp:
    """Post whatever the source records hold that the ledger does not yet, up to `on`.

    crm imports and closes opportunities without knowing about points (it imports no feature
    app), so this job brings the ledger level with it: each won sale once, and each managed
    subscription's start, MRR changes and churn on their own dates, then a management change
    on `on` for partners that joined or left (crm keeps the current managing partners only).
    Everything it posts is idempotent, so running it again posts nothing. A record the rules
    cannot price (a currency added after the rule version in force) is skipped and named, and
    `points_verify` keeps reporting it until a new rule version covers it.

    `max_subscriptions` bounds one run (the sweep's): the first posting of a large import
    replays thousands of subscription histories, and the rest waits for the next run. Only
    records changed or come due since the last complete run are looked at (`watermark`).
    """
    checked_at = timezone.now()
    done = CatchUp()
    book = RuleBook()
    due = due_sources(on=on, book=book)
    sales_catch_up(on=on, book=book, done=done, actor=actor, only=due.opportunity_ids)
    out_of_step = subscriptions_out_of_step(on=on, book=book, done=done, only=due.subscription_ids)
    for subscription, after in out_of_step:
        if max_subscriptions is not None and max_subscriptions <= 0:
            done.deferred += 1
            continue
        if max_subscriptions is not None:
            max_subscriptions -= 1
        try:
            done.managed += subscription_catch_up(
                subscription=subscription, after=after, on=on, actor=actor
            )
        except (UnknownCurrency, RuleSet.DoesNotExist):
            done.skipped.append(f"subscription:{subscription.pk}")
    if not done.deferred:
        watermark_advance(due=due, on=on, checked_at=checked_at, book=book)
    return done


def expiring_points_warn(*, now: datetime) -> int:
    """Warn each partner of its sold points that expire within EXPIRY_WARNING_DAYS, once per
    batch (the partner's points that expire on the same day); returns the batches warned."""
    batches = expiring_batches_unwarned(on=program_today(now), days=EXPIRY_WARNING_DAYS)
    return sum(1 for batch in batches if expiry_warning_send(batch=batch))


def expiry_warning_send(*, batch: ExpiringBatch) -> bool:
    """The warning's row and the notices of the partner's people in one transaction: a crash
    leaves the batch for the next sweep, and a concurrent sweep that wrote the row first
    (the unique constraint) makes this one send nothing."""
    members = Membership.objects.filter(organization_id=batch.organization_id).values("user")
    people = User.objects.filter(is_active=True, pk__in=members).order_by("pk")
    try:
        with transaction.atomic():
            ExpiryWarning.objects.create(
                organization_id=batch.organization_id,
                expires_on=batch.expires_on,
                points_hundredths=batch.points_hundredths,
            )
            for person in people:
                expiry_notice(recipient=person, batch=batch)
    except IntegrityError:
        return False
    return True


def expiry_notice(*, recipient: Any, batch: ExpiringBatch) -> None:
    """Written in the recipient's language, numbers and dates in its format; `notify` leaves
    out the app or the email where the recipient's preference says so."""
    with translation.override(recipient.language or None):
        values = {
            "points": formats.number_format(batch.points, 2, force_grouping=True),
            "day": formats.date_format(batch.expires_on, "DATE_FORMAT"),
        }
        notify(
            recipient=recipient,
            kind=TIER_AND_POINTS,
            cause=f"points_expiring:{batch.organization_id}:{batch.expires_on.isoformat()}",
            title=_("%(points)s sold points expire on %(day)s") % values,
            body=_(
                "From %(day)s these points no longer count toward your tier. The Tier page "
                "shows how your tier stands without them."
            )
            % values,
            link=reverse("points:tier"),
        )
