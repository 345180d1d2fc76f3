"""Two years of opportunities per partner: every shared deal and referral in the one table the
reports read (SPEC A3b). Who brought each one (`brought_by`, `created_by`) is chosen first and
the source follows from it by the rule in `crm.services.opportunity_source`.
"""

import calendar
import copy
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from openprm.accounts.models import Organization, User
from openprm.accounts.roles import Role
from openprm.core.money import rounded_minor
from openprm.crm.models import (
    Customer,
    Opportunity,
    OpportunityKind,
    OpportunityState,
    Product,
    Source,
)
from openprm.crm.services import opportunity_source
from openprm.demo.catalog import ProductSpec
from openprm.demo.context import Demo, PartnerBook
from openprm.demo.directory import add_months, nice_amount

OPPORTUNITIES_PER_PARTNER = 150

# Quarter ends are busy, summer and January are quiet.
SEASON = {1: 0.8, 2: 0.9, 3: 1.3, 4: 0.9, 5: 1.0, 6: 1.3,
          7: 0.8, 8: 0.7, 9: 1.3, 10: 1.0, 11: 1.1, 12: 1.5}  # fmt: skip


@dataclass(frozen=True)
class KindProfile:
    kind: str
    weight: int
    sourced_share: float  # how often the partner brings it itself
    win_rate: float
    cycle_days: tuple[int, int]


KINDS = (
    KindProfile(OpportunityKind.SHARED_DEAL, 55, 0.75, 0.45, (14, 120)),
    KindProfile(OpportunityKind.CO_SELL, 30, 0.55, 0.40, (21, 150)),
    KindProfile(OpportunityKind.SOLUTION_ASSESSMENT, 15, 0.70, 0.55, (30, 180)),
)


@dataclass(frozen=True)
class WonLine:
    """One product of a won opportunity: what the billing system would then show."""

    book: PartnerBook
    customer: Customer
    product: Product
    product_spec: ProductSpec
    closed_on: date
    mrr_minor: int


def _months(demo: Demo) -> tuple[list[date], list[float]]:
    """The months of the window, later ones busier (the program grows) and seasonal."""
    this_month = demo.today.replace(day=1)
    # Nothing can have opened yet today: on the 1st the window ends with last month.
    last = this_month if demo.today.day > 1 else add_months(this_month, -1)
    months = [add_months(last, i - 23) for i in range(24)]
    weights = [(1 + 0.6 * i / 23) * SEASON[m.month] for i, m in enumerate(months)]
    return months, weights


def _opened_at(demo: Demo, month: date) -> datetime:
    rng = demo.rng
    last_day = calendar.monthrange(month.year, month.month)[1]
    if (month.year, month.month) == (demo.today.year, demo.today.month):
        last_day = demo.today.day - 1
    day = month.replace(day=rng.randint(1, last_day))
    return datetime(
        day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59),
        tzinfo=UTC,
    )  # fmt: skip


def _bringer(demo: Demo, book: PartnerBook, customer: Customer, profile: KindProfile,
             reps: list[User]) -> tuple[User, Organization]:  # fmt: skip
    """Who brought the opportunity: someone at the partner itself (it is then sourced), else a
    vendor rep, or, for a received co-sell referral, another partner (assisted)."""
    rng = demo.rng
    if rng.random() < profile.sourced_share:
        return book.user_for(rng, str(customer.country)).user, book.org
    others = [other for other in demo.partners if other is not book]
    if profile.kind == OpportunityKind.CO_SELL and others and rng.random() < 0.4:
        other = rng.choice(others)
        return other.admin, other.org
    assert demo.vendor is not None
    return rng.choice(reps), demo.vendor


def _record_history(opportunities: list[Opportunity]) -> None:
    """The audit trail (SPEC A4): each opportunity opened by its creator and, once decided,
    closed; bulk_create writes no history of its own."""
    opened = []
    for opportunity in opportunities:
        row = copy.copy(opportunity)
        row.state, row.closed_on = OpportunityState.OPEN, None
        setattr(row, "_history_date", opportunity.opened_at)  # noqa: B010
        setattr(row, "_history_user", opportunity.created_by)  # noqa: B010
        opened.append(row)
    Opportunity.history.bulk_history_create(opened, batch_size=500)
    closed = []
    for opportunity in opportunities:
        if opportunity.closed_on is not None:
            closed_at = datetime.combine(opportunity.closed_on, time(16), UTC)
            setattr(opportunity, "_history_date", closed_at)  # noqa: B010
            setattr(opportunity, "_history_user", opportunity.created_by)  # noqa: B010
            closed.append(opportunity)
    Opportunity.history.bulk_history_create(closed, update=True, batch_size=500)


Priced = list[tuple[Product, ProductSpec, int]]


def _priced_products(demo: Demo, currency: str) -> Priced:
    """One product, or two for a quarter of the deals, each at a monthly price in `currency`."""
    rng = demo.rng
    products = rng.sample(demo.products, 2 if rng.random() < 0.25 else 1)
    return [
        (product, spec, rounded_minor(nice_amount(rng.uniform(*spec.mrr_usd), currency), currency))
        for product, spec in products
    ]


def _outcome(demo: Demo, profile: KindProfile, opened_at: datetime) -> tuple[str, date | None]:
    """Open while its sales cycle runs (and a few stalled ones), else won or lost."""
    rng = demo.rng
    closes = opened_at.date() + timedelta(days=rng.randint(*profile.cycle_days))
    if closes >= demo.today or rng.random() < 0.06:
        return OpportunityState.OPEN, None
    if rng.random() < profile.win_rate:
        return OpportunityState.WON, closes
    return OpportunityState.LOST, closes


def _draw_opportunity(
    demo: Demo, book: PartnerBook, months: tuple[list[date], list[float]], reps: list[User]
) -> tuple[Opportunity, Priced]:
    """One opportunity of the partner's, opened in one of the weighted `months`."""
    rng = demo.rng
    profile = rng.choices(KINDS, weights=[k.weight for k in KINDS])[0]
    customer = rng.choice(book.customers)
    currency = customer.currency_id
    priced = _priced_products(demo, currency)
    mrr = sum(minor for _, _, minor in priced)
    services = rounded_minor(nice_amount(rng.uniform(0, 6000), currency), currency)
    opened_at = _opened_at(demo, rng.choices(months[0], weights=months[1])[0])
    state, closed_on = _outcome(demo, profile, opened_at)
    creator, brought_by = _bringer(demo, book, customer, profile, reps)
    opportunity = Opportunity(
        organization=book.org,
        customer=customer,
        kind=profile.kind,
        source=opportunity_source(partner=book.org, brought_by=brought_by),
        brought_by=brought_by,
        name=f"{customer.name}: {' + '.join(product.name for product, _, _ in priced)}",
        amount_minor=mrr * 12 + services,
        mrr_minor=mrr,
        currency_id=currency,
        state=state,
        opened_at=opened_at,
        closed_on=closed_on,
        created_by=creator,
    )
    return opportunity, priced


def _save(opportunities: list[Opportunity], lines: list[Priced]) -> None:
    Opportunity.objects.bulk_create(opportunities)
    _record_history(opportunities)
    through = Opportunity.products.through
    through.objects.bulk_create(
        through(opportunity_id=opportunity.pk, product_id=product.pk)
        for opportunity, priced in zip(opportunities, lines, strict=True)
        for product, _, _ in priced
    )


def _report(demo: Demo, opportunities: list[Opportunity]) -> None:
    by_state = dict.fromkeys(OpportunityState.values, 0)
    for opportunity in opportunities:
        by_state[opportunity.state] += 1
    sourced_count = sum(1 for o in opportunities if o.source == Source.SOURCED)
    demo.count("opportunities", len(opportunities))
    demo.say(
        f"Opportunities: {len(opportunities)} ({by_state['open']} open, {by_state['won']} won, "
        f"{by_state['lost']} lost; {sourced_count} sourced)"
    )


def build_opportunities(demo: Demo) -> list[WonLine]:
    months = _months(demo)
    reps = demo.users_with_role(Role.SALES_REP)
    opportunities: list[Opportunity] = []
    lines: list[Priced] = []
    for book in demo.partners:
        for _ in range(max(4, round(OPPORTUNITIES_PER_PARTNER * book.spec.size * demo.volume))):
            opportunity, priced = _draw_opportunity(demo, book, months, reps)
            opportunities.append(opportunity)
            lines.append(priced)
    _save(opportunities, lines)
    _report(demo, opportunities)
    books = {book.org.pk: book for book in demo.partners}
    return [
        WonLine(books[o.organization_id], o.customer, product, spec, o.closed_on, minor)
        for o, priced in zip(opportunities, lines, strict=True)
        if o.state == OpportunityState.WON and o.closed_on is not None
        for product, spec, minor in priced
    ]
