"""Opportunities partner by partner, each with its products and its shared deal (and lead
registration) or referral, and the sold points a won one earns, priced by the same function
the ledger posting and `points verify` use."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from openprm.accounts.models import Organization
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
from openprm.deals.models import Deal, DealProgram, PipelineStage, Registration
from openprm.demo import catalog
from openprm.demo.bulk.context import CustomerRow, Partner, Program
from openprm.demo.bulk.sizes import spread
from openprm.demo.deals import INTRODUCTIONS, NEXT_STEPS, PAINS, registration_state
from openprm.demo.directory import nice_amount
from openprm.demo.opportunities import KINDS, _months, _opened_at, _outcome
from openprm.demo.referrals import NOTES
from openprm.points.ledger.sources import RuleBook, expected_sale
from openprm.points.models import CauseKind, PointEntry, Track
from openprm.referrals.models import (
    Direction,
    ReferralProgram,
    SolutionType,
    Substatus,
)
from openprm.referrals.models import Referral as ReferralRow


@dataclass(frozen=True)
class WonLine:
    """A product of a won opportunity: it starts a subscription the partner manages."""

    partner: int
    customer: CustomerRow
    product: int
    closed_on: date
    mrr_minor: int


@dataclass
class Lookups:
    products: list
    stages: dict[str, int]
    first_open_stage: int | None
    solutions: list[int]
    exclusivity: timedelta
    response: timedelta
    now: datetime
    months: tuple[list[date], list[float]]
    book: RuleBook
    orgs: dict[int, Organization]  # unsaved stand-ins by id, for `opportunity_source`


def lookups(program: Program) -> Lookups:
    products = [
        (product, spec)
        for product in Product.objects.order_by("pk")
        for spec in catalog.PRODUCTS
        if spec.code == product.code
    ]
    stages = {s.outcome: s.pk for s in PipelineStage.objects.order_by("-position")}
    first = PipelineStage.objects.filter(outcome=OpportunityState.OPEN).order_by("position").first()
    return Lookups(
        products=products,
        stages=stages,
        first_open_stage=first.pk if first else None,
        solutions=list(SolutionType.objects.filter(is_active=True).values_list("pk", flat=True)),
        exclusivity=timedelta(days=DealProgram.current().exclusivity_days),
        response=timedelta(days=ReferralProgram.current().response_days),
        now=timezone.make_aware(datetime.combine(program.today, time(9))),
        months=_months(program),  # type: ignore[arg-type]
        book=RuleBook(),
        orgs={
            pk: Organization(pk=pk) for pk in [program.vendor_id, *(p.id for p in program.partners)]
        },
    )


def _priced(program: Program, found: Lookups, currency: str) -> list[tuple[int, str, int]]:
    """(product id, name, MRR in minor units): one product, or two for a quarter of deals."""
    rng = program.rng
    chosen = rng.sample(found.products, 2 if rng.random() < 0.25 else 1)
    return [
        (
            product.pk,
            product.name,
            rounded_minor(nice_amount(rng.uniform(*spec.mrr_usd), currency), currency),
        )
        for product, spec in chosen
    ]


def _bringer(
    program: Program, partner: Partner, sourced_share: float, co_sell: bool
) -> tuple[int, int]:
    """(creating user, bringing organization): the partner itself, another partner for a
    received co-sell referral, or a vendor rep."""
    rng = program.rng
    if rng.random() < sourced_share:
        return rng.choice(partner.user_ids), partner.id
    if co_sell and rng.random() < 0.4:
        other = rng.choice(program.partners)
        if other is not partner:
            return other.admin_id, other.id
    return rng.choice(program.rep_ids), program.vendor_id


def draw(
    program: Program, found: Lookups, partner: Partner, pk: int
) -> tuple[Opportunity, list[tuple[int, str, int]], CustomerRow]:
    """One opportunity of the partner's and its product lines, as `crm` stores them."""
    rng = program.rng
    profile = rng.choices(KINDS, weights=[k.weight for k in KINDS])[0]
    customer = program.customers[rng.choice(partner.customers)]
    priced = _priced(program, found, customer.currency)
    mrr = sum(minor for _, _, minor in priced)
    services = rounded_minor(
        nice_amount(rng.uniform(0, 6000), customer.currency), customer.currency
    )
    month = rng.choices(found.months[0], weights=found.months[1])[0]
    opened_at = _opened_at(program, month)  # type: ignore[arg-type]
    state, closed_on = _outcome(program, profile, opened_at)  # type: ignore[arg-type]
    creator, brought_by = _bringer(
        program, partner, profile.sourced_share, profile.kind == OpportunityKind.CO_SELL
    )
    opportunity = Opportunity(
        id=pk,
        organization_id=partner.id,
        customer_id=customer.id,
        kind=profile.kind,
        source=opportunity_source(
            partner=found.orgs[partner.id], brought_by=found.orgs[brought_by]
        ),
        brought_by_id=brought_by,
        name=f"{customer.name}: {' + '.join(n for _, n, _ in priced)}",
        amount_minor=mrr * 12 + services,
        mrr_minor=mrr,
        currency_id=customer.currency,
        state=state,
        opened_at=opened_at,
        closed_on=closed_on,
        created_by_id=creator,
    )
    return opportunity, priced, customer


def _deal_rows(program: Program, found: Lookups, o: Opportunity) -> list:
    rng = program.rng
    deal = Deal(
        id=program.writer.ids(Deal, 1)[0],
        opportunity_id=o.pk,
        organization_id=o.organization_id,
        close_date=o.closed_on or o.opened_at.date() + timedelta(days=rng.randint(30, 120)),
        introduction_note=rng.choice(INTRODUCTIONS),
        pain=rng.choice(PAINS),
        next_steps=rng.choice(NEXT_STEPS),
        stage_id=found.first_open_stage
        if o.state == OpportunityState.OPEN
        else found.stages.get(o.state),
        assigned_rep_id=rng.choice(program.rep_ids),
        compensation_eligible=rng.random() < 0.6,
        created_at=o.opened_at,
    )
    registration = Registration(
        id=program.writer.ids(Registration, 1)[0],
        organization_id=o.organization_id,
        kind="lead",
        opportunity_id=o.pk,
        customer_id=o.customer_id,
        state=registration_state(o, found.now, rng.random()),
        expires_at=o.opened_at + found.exclusivity,
        submitted_by_id=o.created_by_id,
        created_at=o.opened_at,
    )
    return [deal, registration]


def _substatus(rng: random.Random, o: Opportunity, inbound: bool) -> str:
    if o.state == OpportunityState.WON:
        return Substatus.WON
    if o.state == OpportunityState.OPEN:
        return Substatus.ACCEPTED
    if inbound:
        return rng.choice((Substatus.DECLINED, Substatus.EXPIRED, Substatus.LOST))
    return Substatus.LOST


def _referral(
    program: Program, found: Lookups, partner: Partner, o: Opportunity, country: str
) -> ReferralRow:
    rng = program.rng
    inbound = o.source == Source.ASSISTED
    substatus = _substatus(rng, o, inbound)
    assessment = o.kind == OpportunityKind.SOLUTION_ASSESSMENT
    location = partner.locations.get(country) or partner.locations[partner.countries[0]]
    closed = o.closed_on or (o.opened_at + found.response).date()
    return ReferralRow(
        id=program.writer.ids(ReferralRow, 1)[0],
        opportunity_id=o.pk,
        organization_id=o.organization_id,
        direction=Direction.INBOUND if inbound else Direction.OUTBOUND,
        substatus=substatus,
        sender_organization_id=o.brought_by_id,
        sent_by_id=o.created_by_id if inbound else None,
        location_id=location,
        assessment_location_id=location if assessment else None,
        solution_type_id=rng.choice(found.solutions) if assessment and found.solutions else None,
        estimated_close_date=o.closed_on
        or o.opened_at.date() + timedelta(days=rng.randint(30, 120)),
        notes=rng.choice(NOTES),
        expires_at=o.opened_at + found.response,
        closed_at=None
        if substatus == Substatus.ACCEPTED
        else datetime.combine(closed, time(16), tzinfo=UTC),
        created_at=o.opened_at,
    )


def sale_entry(program: Program, found: Lookups, o: Opportunity, country: str) -> PointEntry | None:
    o.customer = Customer(pk=o.customer_id, country=country)
    expected = expected_sale(o, found.book)
    if expected is None:
        return None
    return PointEntry(
        id=program.writer.ids(PointEntry, 1)[0],
        organization_id=expected.organization_id,
        customer_id=expected.customer_id,
        track=Track.SOLD,
        points_hundredths=expected.points_hundredths,
        cause_kind=CauseKind.SALE,
        opportunity_id=o.pk,
        cause_on=expected.active_from,
        active_from=expected.active_from,
        expires_on=expected.expires_on,
        rule_version_id=expected.rule_version,
    )


def _partner_sales(
    program: Program, found: Lookups, partner: Partner, number: int
) -> list[WonLine]:
    writer, through = program.writer, Opportunity.products.through
    rows: dict[type, list] = {
        Opportunity: [],
        through: [],
        Deal: [],
        Registration: [],
        ReferralRow: [],
        PointEntry: [],
    }
    won = []
    for pk in writer.ids(Opportunity, number):
        o, priced, customer = draw(program, found, partner, pk)
        rows[Opportunity].append(o)
        for product_id, _, _ in priced:
            rows[through].append(
                through(id=writer.ids(through, 1)[0], opportunity_id=pk, product_id=product_id)
            )
        if o.kind == OpportunityKind.SHARED_DEAL:
            deal, registration = _deal_rows(program, found, o)
            rows[Deal].append(deal)
            rows[Registration].append(registration)
        else:
            rows[ReferralRow].append(_referral(program, found, partner, o, customer.country))
        entry = sale_entry(program, found, o, customer.country)
        if entry is not None:
            rows[PointEntry].append(entry)
        if o.state == OpportunityState.WON and o.closed_on is not None:
            won += [
                WonLine(partner.id, customer, product_id, o.closed_on, mrr)
                for product_id, _, mrr in priced
            ]
    for model, instances in rows.items():
        writer.write(model, instances)
    program.count("sale entries", len(rows[PointEntry]))
    return won


def build_sales(program: Program) -> list[WonLine]:
    """Opportunities up to the size, shared by the partners' sizes; returns the won lines."""
    found = lookups(program)
    missing = max(0, program.size.opportunities - Opportunity.objects.count())
    wanted = spread(missing, [p.share for p in program.partners])
    program.progress.start("opportunities", sum(wanted))
    won: list[WonLine] = []
    for partner, number in zip(program.partners, wanted, strict=True):
        if number and partner.customers:
            won += _partner_sales(program, found, partner, number)
        program.progress.advance(number)
    program.progress.finish()
    program.count("opportunities", Opportunity.objects.count())
    return won
