"""Shared deals for the demo: the deal rows beside the shared-deal opportunities, their
registrations, assignment rules, conversations with attachments, private notes, and a
registration conflict and an extension request waiting in the reviewers' queue; and a few of the
vendor's own open opportunities, for a sales rep to "Convert to shared deal".
"""

from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from openprm.accounts.models import User
from openprm.accounts.roles import Role
from openprm.core.models import Event
from openprm.core.money import exponent
from openprm.crm.models import Opportunity, OpportunityKind, OpportunityState, Source
from openprm.deals.models import (
    AssignmentRule,
    Deal,
    DealNote,
    DealProgram,
    NoteAttachment,
    NoteComment,
    PipelineStage,
    Registration,
    RegistrationState,
    RegistrationTransition,
    Side,
)
from openprm.demo.context import Demo

INTRODUCTIONS = (
    "Met their IT lead at a partner event; they asked for a demo.",
    "Existing client of ours for web projects; wants a CRM next.",
    "Inbound request through our website.",
)
PAINS = (
    "Leads tracked in spreadsheets; nobody knows the pipeline.",
    "Support tickets lost between email inboxes.",
    "Marketing and sales use different tools and disagree on numbers.",
)
NEXT_STEPS = (
    "Discovery call next week with the sales director.",
    "Demo with the support team, then a proposal.",
    "Workshop on data migration.",
)
# A tiny valid PDF, so the demo's attachments open in a viewer.
QUOTE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
CONVERSATIONS = 3  # per partner
REJECTION_REASON = "The customer already buys directly from Contoso."


def build_shared_deals(demo: Demo) -> None:
    rng = demo.rng
    reps = demo.users_with_role(Role.SALES_REP)
    rule = AssignmentRule.objects.create(name="All customers", position=0)
    rule.reps.set(reps)
    program = DealProgram.current()
    program.fallback_owner = reps[0]
    program.save()
    stages = {s.outcome: s for s in PipelineStage.objects.order_by("-position")}
    first_open = PipelineStage.objects.filter(outcome=OpportunityState.OPEN).first()
    opportunities = list(
        Opportunity.objects.filter(kind=OpportunityKind.SHARED_DEAL)
        .order_by("opened_at", "id")
        .prefetch_related("products")
    )
    deals = [
        Deal(
            opportunity=opportunity,
            organization_id=opportunity.organization_id,
            close_date=opportunity.closed_on
            or opportunity.opened_at.date() + timedelta(days=rng.randint(30, 120)),
            introduction_note=rng.choice(INTRODUCTIONS),
            pain=rng.choice(PAINS),
            next_steps=rng.choice(NEXT_STEPS),
            stage=first_open
            if opportunity.state == OpportunityState.OPEN
            else stages.get(opportunity.state),
            assigned_rep=reps[index % len(reps)],
            compensation_eligible=rng.random() < 0.6,
        )
        for index, opportunity in enumerate(opportunities)
    ]
    Deal.objects.bulk_create(deals)
    now = timezone.make_aware(datetime.combine(demo.today, time(9)))
    registrations = [
        Registration(
            organization_id=o.organization_id,
            kind="lead",
            opportunity=o,
            customer_id=o.customer_id,
            state=registration_state(o, now, rng.random()),
            expires_at=o.opened_at + timedelta(days=program.exclusivity_days),
            submitted_by=o.created_by,
        )
        for o in opportunities
    ]
    Registration.objects.bulk_create(registrations)
    through = Registration.products.through
    through.objects.bulk_create(
        through(registration_id=r.pk, product_id=p.pk)
        for r, o in zip(registrations, opportunities, strict=True)
        for p in o.products.all()
    )
    build_trail(demo, deals, registrations, now)
    conversations = build_conversations(demo, deals)
    build_conflict(demo, deals, registrations, now)
    build_extension_request(deals, registrations, now)
    build_vendor_opportunities(demo, now)
    demo.count("shared deals", len(deals))
    demo.say(f"Shared deals: {len(deals)}, with {conversations} conversations")


def registration_state(opportunity: Opportunity, now: datetime, roll: float) -> str:
    """Won deals were approved; open ones are approved or waiting, or expired when old."""
    if opportunity.state == OpportunityState.WON:
        return RegistrationState.APPROVED
    if opportunity.state == OpportunityState.LOST:
        return RegistrationState.REJECTED if roll < 0.2 else RegistrationState.APPROVED
    if opportunity.opened_at + timedelta(days=90) <= now:
        return RegistrationState.EXPIRED
    return RegistrationState.SUBMITTED if roll < 0.3 else RegistrationState.APPROVED


def build_conversations(demo: Demo, deals: list[Deal]) -> int:
    """A few open deals per partner: a shared message with a quote, the rep's comment, and a
    private note on each side."""
    count = 0
    by_partner: dict[int, list[Deal]] = {}
    for deal in deals:
        if deal.opportunity.state == OpportunityState.OPEN:
            by_partner.setdefault(deal.organization_id, []).append(deal)
    books = {book.org.pk: book for book in demo.partners}
    for partner_id, open_deals in by_partner.items():
        author = books[partner_id].admin
        for deal in open_deals[-CONVERSATIONS:]:
            note = DealNote.objects.create(
                deal=deal,
                side=Side.PARTNER,
                shared=True,
                author=author,
                body="Here is the quote we discussed; the customer wants to start next month.",
            )
            attachment = NoteAttachment(
                note=note, name="quote.pdf", content_type="application/pdf", size=len(QUOTE_PDF)
            )
            attachment.file.save("quote.pdf", ContentFile(QUOTE_PDF), save=False)
            attachment.save()
            NoteComment.objects.create(
                note=note,
                side=Side.VENDOR,
                author=deal.assigned_rep,
                body="Thanks, I will join the next call.",
            )
            DealNote.objects.create(
                deal=deal, side=Side.PARTNER, author=author, body="Our margin is tight here."
            )
            DealNote.objects.create(
                deal=deal,
                side=Side.VENDOR,
                author=deal.assigned_rep,
                body="Check the discount with the regional manager first.",
            )
            count += 1
    return count


def build_conflict(
    demo: Demo, deals: list[Deal], registrations: list[Registration], now: datetime
) -> None:
    """Another partner registers a customer and product that a live registration holds, so
    "In review (conflict)" waits in the reviewers' queue."""
    holding = [
        (deal, registration)
        for deal, registration in zip(deals, registrations, strict=True)
        if registration.state in (RegistrationState.APPROVED, RegistrationState.SUBMITTED)
        and registration.expires_at > now
        and deal.opportunity.state == OpportunityState.OPEN
    ]
    if not holding or len(demo.partners) < 2:
        return
    deal, _registration = holding[0]
    other = next(book for book in demo.partners if book.org.pk != deal.organization_id)
    theirs = deal.opportunity
    products = list(theirs.products.all())
    opened_at = now - timedelta(days=1)
    opportunity = Opportunity.objects.create(
        organization=other.org,
        customer=theirs.customer,
        kind=OpportunityKind.SHARED_DEAL,
        source=Source.SOURCED,
        brought_by=other.org,
        name=f"{theirs.customer.name}: expansion",
        amount_minor=theirs.amount_minor,
        mrr_minor=max(theirs.mrr_minor, 1),
        currency_id=theirs.currency_id,
        opened_at=opened_at,
        created_by=other.admin,
    )
    opportunity.products.set(products)
    Deal.objects.create(
        opportunity=opportunity,
        organization=other.org,
        close_date=demo.today + timedelta(days=45),
        introduction_note=INTRODUCTIONS[0],
        pain=PAINS[0],
        next_steps=NEXT_STEPS[0],
        stage=PipelineStage.objects.filter(outcome=OpportunityState.OPEN).first(),
        assigned_rep=deal.assigned_rep,
    )
    registration = Registration.objects.create(
        organization=other.org,
        kind="lead",
        opportunity=opportunity,
        customer=theirs.customer,
        state=RegistrationState.IN_REVIEW_CONFLICT,
        expires_at=opened_at + timedelta(days=DealProgram.current().exclusivity_days),
        submitted_by=other.admin,
    )
    registration.products.set(products)
    RegistrationTransition.objects.create(
        registration=registration, to_state=registration.state, actor=other.admin
    )


def build_extension_request(
    deals: list[Deal], registrations: list[Registration], now: datetime
) -> None:
    """The partner of the open deal whose exclusivity ends soonest asked for more time."""
    holding = sorted(
        (
            registration
            for deal, registration in zip(deals, registrations, strict=True)
            if registration.state == RegistrationState.APPROVED
            and registration.expires_at > now
            and deal.opportunity.state == OpportunityState.OPEN
        ),
        key=lambda registration: (registration.expires_at, registration.pk),
    )
    if not holding:
        return
    registration = holding[0]
    registration.extension_requested_at = now - timedelta(days=1)
    registration.extension_reason = "The customer's board decides next quarter; we need more time."
    registration.save(update_fields=["extension_requested_at", "extension_reason"])
    RegistrationTransition.objects.create(
        registration=registration,
        from_state=registration.state,
        to_state=registration.state,
        actor=registration.submitted_by,
        note=f"extension: {registration.extension_reason}",
    )


VENDOR_OPPORTUNITIES = 4


def build_vendor_opportunities(demo: Demo, now: datetime) -> None:
    """Direct deals of the vendor's reps that no partner works yet (C4 converts them)."""
    reps = demo.users_with_role(Role.SALES_REP)
    assert demo.vendor is not None
    for index, customer in enumerate(demo.rng.sample(demo.customers, VENDOR_OPPORTUNITIES)):
        product, _spec = demo.products[index % len(demo.products)]
        mrr_major = demo.rng.randint(4, 30) * 100
        unit = 10 ** exponent(customer.currency_id)
        opportunity = Opportunity.objects.create(
            organization=demo.vendor,
            customer=customer,
            kind=OpportunityKind.SHARED_DEAL,
            source=Source.SOURCED,
            brought_by=demo.vendor,
            name=f"{customer.name}: {product.name}",
            amount_minor=mrr_major * 12 * unit,
            mrr_minor=mrr_major * unit,
            currency_id=customer.currency_id,
            opened_at=now - timedelta(days=3 + index),
            created_by=reps[index % len(reps)],
        )
        opportunity.products.set([product])
    demo.count("vendor opportunities", VENDOR_OPPORTUNITIES)


def build_trail(
    demo: Demo, deals: list[Deal], registrations: list[Registration], now: datetime
) -> None:
    """What the services would have written: each deal's creation, each registration's
    submission and its decision as transition rows and events, at the dates they happened, so
    the History tab and the queue's record are not empty."""
    reviewer = demo.users_with_role(Role.REVIEWER)[0]
    transitions: list[RegistrationTransition] = []
    events: list[Event] = []
    for deal, registration in zip(deals, registrations, strict=True):
        created, submitted = _submission(deal, registration)
        events.append(created)
        transitions.append(submitted)
        if registration.state != RegistrationState.SUBMITTED:
            decided, decision = _decision(deal, registration, reviewer, now)
            transitions.append(decided)
            events.append(decision)
    Registration.objects.filter(
        pk__in=[r.pk for r in registrations if r.state == RegistrationState.REJECTED]
    ).update(reason=REJECTION_REASON)
    create_dated(RegistrationTransition, transitions)
    create_dated(Event, events)


def _submission(deal: Deal, registration: Registration) -> tuple[Event, RegistrationTransition]:
    """The deal created and its registration submitted when the opportunity opened."""
    opportunity = deal.opportunity
    created = Event(
        kind="deal.created",
        organization_id=deal.organization_id,
        actor=opportunity.created_by,
        object_type=Deal._meta.label_lower,
        object_id=str(deal.pk),
        created_at=opportunity.opened_at,
    )
    submitted = RegistrationTransition(
        registration=registration,
        to_state=RegistrationState.SUBMITTED,
        actor=registration.submitted_by,
        created_at=opportunity.opened_at,
    )
    return created, submitted


def _decision(
    deal: Deal, registration: Registration, reviewer: User, now: datetime
) -> tuple[RegistrationTransition, Event]:
    """Decided by the reviewer two days after submission, or expired at its time."""
    expired = registration.state == RegistrationState.EXPIRED
    decided_at = (
        registration.expires_at if expired else deal.opportunity.opened_at + timedelta(days=2)
    )
    decided_at = min(decided_at, now)
    actor = None if expired else reviewer
    reason = REJECTION_REASON if registration.state == RegistrationState.REJECTED else ""
    transition = RegistrationTransition(
        registration=registration,
        from_state=RegistrationState.SUBMITTED,
        to_state=registration.state,
        actor=actor,
        note=reason,
        created_at=decided_at,
    )
    event = Event(
        kind=f"registration.{registration.state}",
        organization_id=deal.organization_id,
        actor=actor,
        object_type=Registration._meta.label_lower,
        object_id=str(registration.pk),
        data={"from": RegistrationState.SUBMITTED, "reason": reason},
        created_at=decided_at,
    )
    return transition, event


def create_dated(model: Any, rows: list[Any]) -> None:
    """auto_now_add stamps "now" on create; the dates the rows happened are written back."""
    happened = [row.created_at for row in rows]
    model.objects.bulk_create(rows, batch_size=500)
    for row, created_at in zip(rows, happened, strict=True):
        row.created_at = created_at
    model.objects.bulk_update(rows, ["created_at"], batch_size=500)
