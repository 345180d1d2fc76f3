"""What the vendor's billing and product systems would report: subscriptions with their MRR
history, renewals, churn and managing partners, and monthly usage snapshots (SPEC A3b).

Every won opportunity starts or expands a subscription; partners also manage an installed base
that predates the two years, so retention and managed points have a past to compare with.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from openprm.core.money import from_minor, rounded_minor
from openprm.crm.models import (
    Customer,
    Product,
    Subscription,
    SubscriptionMrrChange,
    UsageSnapshot,
)
from openprm.demo import catalog, names
from openprm.demo.context import Demo, PartnerBook
from openprm.demo.directory import add_months, nice_amount, window_start
from openprm.demo.opportunities import WonLine

INSTALLED_BASE_SHARE = 0.3
CHURN_PER_MONTH = 0.007
EXPANSION_PER_MONTH = 0.04
CONTRACTION_PER_MONTH = 0.02
USD_PER_SEAT = 45


@dataclass
class Plan:
    """A subscription being built, before it is written."""

    customer: Customer
    product: Product
    started_on: date
    seats: int
    changes: list[tuple[date, int]]
    managers: list[PartnerBook]
    cursor: date
    ended_on: date | None = None

    @property
    def mrr(self) -> int:
        return self.changes[-1][1]

    def set_mrr(self, on: date, mrr: int) -> None:
        if self.changes[-1][0] == on:
            self.changes[-1] = (on, mrr)
        else:
            self.changes.append((on, mrr))

    def mrr_on(self, day: date) -> int:
        value = 0
        for effective_on, mrr in self.changes:
            if effective_on > day:
                break
            value = mrr
        return value


@dataclass(frozen=True)
class Event:
    on: date
    mrr_minor: int
    book: PartnerBook


def _seats(customer: Customer, mrr_minor: int) -> int:
    currency = customer.currency_id
    usd = float(from_minor(mrr_minor, currency)) * float(catalog.USD_PER_UNIT[currency])
    return max(3, round(usd / USD_PER_SEAT))


def _evolve(demo: Demo, plan: Plan, until: date) -> None:
    """Month by month up to (not including) `until`: expansions, contractions and churn."""
    rng = demo.rng
    while plan.ended_on is None:
        step = add_months(plan.cursor, 1)
        if step >= until or step > demo.today:
            return
        plan.cursor = step
        roll = rng.random()
        if roll < CHURN_PER_MONTH:
            plan.ended_on = step
            plan.set_mrr(step, 0)
        elif roll < CHURN_PER_MONTH + EXPANSION_PER_MONTH:
            plan.set_mrr(step, round(plan.mrr * rng.uniform(1.05, 1.3)))
        elif roll < CHURN_PER_MONTH + EXPANSION_PER_MONTH + CONTRACTION_PER_MONTH:
            plan.set_mrr(step, max(1, round(plan.mrr * rng.uniform(0.8, 0.95))))


def _installed_base(demo: Demo) -> list[tuple[Customer, Product, Event]]:
    rng = demo.rng
    rows = []
    for book in demo.partners:
        for customer in book.customers:
            if rng.random() >= INSTALLED_BASE_SHARE:
                continue
            product, spec = rng.choice(demo.products)
            currency = customer.currency_id
            mrr = rounded_minor(nice_amount(rng.uniform(*spec.mrr_usd), currency), currency)
            started = demo.today - timedelta(days=rng.randint(760, 1460))
            rows.append((customer, product, Event(started, mrr, book)))
    return rows


def _plans(demo: Demo, won: list[WonLine]) -> list[Plan]:
    events: dict[tuple[int, int], list[Event]] = {}
    keyed: dict[tuple[int, int], tuple[Customer, Product]] = {}
    starts = _installed_base(demo) + [
        (line.customer, line.product, Event(line.closed_on, line.mrr_minor, line.book))
        for line in won
    ]
    for customer, product, event in starts:
        key = (customer.pk, product.pk)
        keyed[key] = (customer, product)
        events.setdefault(key, []).append(event)
    plans: list[Plan] = []
    for key, key_events in events.items():
        customer, product = keyed[key]
        current: Plan | None = None
        for event in sorted(key_events, key=lambda e: e.on):
            if current is not None:
                _evolve(demo, current, event.on)
            if current is None or current.ended_on is not None:
                current = Plan(
                    customer=customer,
                    product=product,
                    started_on=event.on,
                    seats=_seats(customer, event.mrr_minor),
                    changes=[(event.on, event.mrr_minor)],
                    managers=[event.book],
                    cursor=event.on,
                )
                plans.append(current)
                continue
            current.set_mrr(event.on, current.mrr + event.mrr_minor)
            if event.book not in current.managers:
                current.managers.append(event.book)
        if current is not None:
            _evolve(demo, current, demo.today + timedelta(days=1))
    return plans


def _share_management(demo: Demo, plans: list[Plan]) -> None:
    """Some customers are looked after by two partners (managed points are then split)."""
    rng = demo.rng
    books_of: dict[int, list[PartnerBook]] = {}
    for book in demo.partners:
        for customer in book.customers:
            books_of.setdefault(customer.pk, []).append(book)
    for plan in plans:
        others = [b for b in books_of.get(plan.customer.pk, []) if b not in plan.managers]
        if others and rng.random() < 0.12:
            plan.managers.append(rng.choice(others))


def _renewal_on(plan: Plan, today: date) -> date | None:
    if plan.ended_on is not None:
        return None
    years = 1
    while add_months(plan.started_on, 12 * years) <= today:
        years += 1
    return add_months(plan.started_on, 12 * years)


def build_subscriptions(demo: Demo, won: list[WonLine]) -> list[Plan]:
    rng = demo.rng
    plans = _plans(demo, won)
    _share_management(demo, plans)
    subscriptions = [
        Subscription(
            external_id=f"SUB-{index:06d}",
            customer=plan.customer,
            product=plan.product,
            currency_id=plan.customer.currency_id,
            mrr_minor=plan.mrr,
            started_on=plan.started_on,
            renewal_on=_renewal_on(plan, demo.today),
            ended_on=plan.ended_on,
            renewal_manager=rng.choice(plan.managers[0].users).user.full_name,
        )
        for index, plan in enumerate(plans, start=1)
    ]
    Subscription.objects.bulk_create(subscriptions)
    SubscriptionMrrChange.objects.bulk_create(
        SubscriptionMrrChange(subscription=subscription, effective_on=on, mrr_minor=mrr)
        for subscription, plan in zip(subscriptions, plans, strict=True)
        for on, mrr in plan.changes
    )
    through = Subscription.managing_partners.through
    through.objects.bulk_create(
        through(subscription_id=subscription.pk, organization_id=book.org.pk)
        for subscription, plan in zip(subscriptions, plans, strict=True)
        for book in plan.managers
    )
    changes = sum(len(plan.changes) for plan in plans)
    churned = sum(1 for plan in plans if plan.ended_on is not None)
    demo.count("subscriptions", len(subscriptions))
    demo.count("MRR changes", changes)
    demo.say(f"Subscriptions: {len(subscriptions)} ({churned} churned) with {changes} MRR changes")
    return plans


def build_usage(demo: Demo, plans: list[Plan]) -> None:
    """A snapshot on the first of every month in the window for each paying customer."""
    rng = demo.rng
    by_customer: dict[int, list[Plan]] = {}
    for plan in plans:
        by_customer.setdefault(plan.customer.pk, []).append(plan)
    first = window_start(demo)
    months = [add_months(first, i) for i in range(24)]
    snapshots = []
    for customer_plans in by_customer.values():
        customer = customer_plans[0].customer
        locale = demo.profiles[customer.pk].locale
        people = [names.person(rng, locale).full_name for _ in range(3)]
        last_user, last_at = "", None
        for month in months:
            started = [p for p in customer_plans if p.started_on <= month]
            if not started:
                continue
            active = [p for p in started if p.ended_on is None or p.ended_on > month]
            users = round(
                sum(p.seats * p.mrr_on(month) / p.changes[0][1] for p in active)
                * rng.uniform(0.55, 0.95)
            )
            if users > 0:
                last_user = rng.choice(people)
                moment = datetime.combine(month, time(12), tzinfo=UTC)
                last_at = moment - timedelta(hours=rng.randint(1, 96))
            snapshots.append(
                UsageSnapshot(
                    customer=customer,
                    taken_on=month,
                    active_users=users,
                    last_active_user=last_user,
                    last_active_at=last_at,
                )
            )
    UsageSnapshot.objects.bulk_create(snapshots)
    demo.count("usage snapshots", len(snapshots))
    demo.say(f"Usage: {len(snapshots)} monthly snapshots for {len(by_customer)} customers")
