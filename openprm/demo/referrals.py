"""Co-sell referrals and solution assessment deals for the demo: a referral row beside every
co-sell and solution-assessment opportunity, accepted deals at every sales stage, won deals
with registrations approved, rejected and waiting, deals tagged with marketing campaigns, and
freshly sent referrals on each partner's Inbound tab: some close to expiry, some expired.
"""

from datetime import datetime, time, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from openprm.accounts.models import Location, User
from openprm.accounts.roles import Role
from openprm.crm.models import Opportunity, OpportunityKind, OpportunityState, Source
from openprm.deals.models import (
    DealProgram,
    Registration,
    RegistrationKind,
    RegistrationState,
    RegistrationTransition,
)
from openprm.demo.context import Demo, PartnerBook
from openprm.demo.deals import QUOTE_PDF
from openprm.referrals.models import (
    AssessmentVetting,
    DeclineReason,
    Direction,
    LostReason,
    PurchaseTimeframe,
    Referral,
    ReferralProgram,
    ReferralRegistration,
    ReferralStageMark,
    ReferralTeamMember,
    ReferralTransition,
    SalesStage,
    SolutionType,
    Substatus,
)

CAMPAIGNS = ("SPRING-WEBINAR-26", "PARTNER-SUMMIT-26", "SMB-EMAIL-Q3")
# Accepted deals cycle through these, so every stage has deals on it.
OPEN_STAGES = ("accepted", "secure_loe", "gather_data", "prepare_report", "present")
REGISTRATION_STATES = (
    RegistrationState.APPROVED,
    RegistrationState.REJECTED,
    RegistrationState.SUBMITTED,
)
# Freshly sent referrals per partner: (hours ago it was sent, hours past expiry when expired).
FRESH = (13 * 24 + 20, 6 * 24, 20)
EXPIRED_DAYS_AGO = (18, 30)
NOTES = (
    "The customer asked for a local partner to plan the rollout.",
    "Existing customer of the vendor; expanding to a second region.",
    "Met at the partner summit; wants an assessment before buying.",
)


def build_referrals(demo: Demo) -> None:
    stages = {stage.code: stage for stage in SalesStage.objects.all()}
    solutions = list(SolutionType.objects.filter(is_active=True).order_by("code"))
    now = timezone.make_aware(datetime.combine(demo.today, time(9)))
    books = {book.org.pk: book for book in demo.partners}
    opportunities = list(
        Opportunity.objects.filter(
            kind__in=(OpportunityKind.CO_SELL, OpportunityKind.SOLUTION_ASSESSMENT)
        ).order_by("opened_at", "id")
    )
    vetted = {o.organization_id for o in opportunities if o.kind == "solution_assessment"}
    AssessmentVetting.objects.bulk_create(
        AssessmentVetting(organization_id=pk, vetted_on=demo.today - timedelta(days=400))
        for pk in sorted(vetted)
    )
    referrals = []
    rotation: dict[str, int] = {}
    for opportunity in opportunities:
        book = books[opportunity.organization_id]
        referrals.append(
            referral_for(demo, opportunity, book, rotation, solutions=solutions, stages=stages)
        )
    referrals += fresh_inbound(demo, now)
    Referral.objects.bulk_create(referrals)
    build_lifecycles(demo, referrals, stages, now)
    registered = build_registrations(demo, referrals, now)
    demo.count("referrals", len(referrals))
    demo.say(f"Referrals: {len(referrals)}, {registered} registered after being won")


def location_of(book: PartnerBook, country: str) -> Location:
    same = [loc for loc in book.locations if loc.country == country]
    return (same or book.locations)[0]


def referral_for(
    demo: Demo,
    opportunity: Opportunity,
    book: PartnerBook,
    rotation: dict[str, int],
    *,
    solutions: list[SolutionType],
    stages: dict[str, SalesStage],
) -> Referral:
    inbound = opportunity.source == Source.ASSISTED
    assessment = opportunity.kind == OpportunityKind.SOLUTION_ASSESSMENT
    location = location_of(book, str(opportunity.customer.country))
    substatus = _substatus(opportunity, inbound, rotation)
    stage_code = _stage_code(substatus, rotation)
    solution = _solution(substatus, solutions, rotation) if assessment else None
    return Referral(
        opportunity=opportunity,
        organization_id=opportunity.organization_id,
        direction=Direction.INBOUND if inbound else Direction.OUTBOUND,
        substatus=substatus,
        stage=stages[stage_code] if stage_code else None,
        sender_organization_id=opportunity.brought_by_id,
        sent_by=opportunity.created_by if inbound else None,
        location=location,
        solution_type=solution,
        assessment_location=location if assessment else None,
        **_customer_contact(opportunity),
        **_sales_details(demo, opportunity, substatus),
    )


def _substatus(opportunity: Opportunity, inbound: bool, rotation: dict[str, int]) -> Substatus:
    """The opportunity's outcome; an inbound referral lost is, in turn, one the partner declined
    or let expire."""
    substatus = {
        OpportunityState.WON: Substatus.WON,
        OpportunityState.LOST: Substatus.LOST,
    }.get(OpportunityState(opportunity.state), Substatus.ACCEPTED)
    if inbound and substatus == Substatus.LOST:
        substatus = (Substatus.DECLINED, Substatus.EXPIRED, Substatus.LOST)[
            turn(rotation, "unanswered", 3)
        ]
    return substatus


def _stage_code(substatus: Substatus, rotation: dict[str, int]) -> str | None:
    if substatus == Substatus.ACCEPTED:
        return OPEN_STAGES[turn(rotation, "stage", len(OPEN_STAGES))]
    return {Substatus.WON: "won", Substatus.LOST: "accepted"}.get(substatus)


def _solution(
    substatus: Substatus, solutions: list[SolutionType], rotation: dict[str, int]
) -> SolutionType:
    """Won assessments get the registrable solutions, so the queue has some of each state."""
    eligible = [s for s in solutions if s.registration_eligible] or solutions
    offered = eligible if substatus == Substatus.WON else solutions
    return offered[turn(rotation, f"solution-{substatus}", len(offered))]


def _customer_contact(opportunity: Opportunity) -> dict[str, Any]:
    contact = opportunity.customer.name.split(" ")[0]
    return {
        "contact_name": f"{contact} IT lead",
        "contact_phone": "+1 206 555 0142",
        "contact_email": f"it@{opportunity.customer.domain or 'customer.example'}",
        "consent_recorded_by": opportunity.created_by,
        "consent_recorded_at": opportunity.opened_at,
    }


def _sales_details(demo: Demo, opportunity: Opportunity, substatus: Substatus) -> dict[str, Any]:
    """Drawn in this order, so a seed gives the same program."""
    rng = demo.rng
    return {
        "vendor_help_requested": rng.random() < 0.3,
        "estimated_close_date": opportunity.closed_on
        or opportunity.opened_at.date() + timedelta(days=rng.randint(30, 120)),
        "purchase_timeframe": rng.choice(PurchaseTimeframe.values),
        "crm_id": f"OPP-{opportunity.pk}" if rng.random() < 0.5 else "",
        "campaign_id": rng.choice(CAMPAIGNS) if rng.random() < 0.35 else "",
        "notes": rng.choice(NOTES),
        "expires_at": opportunity.opened_at
        + timedelta(days=ReferralProgram.current().response_days),
        "decline_reason": rng.choice(DeclineReason.values)
        if substatus == Substatus.DECLINED
        else "",
        "lost_reason": rng.choice(LostReason.values) if substatus == Substatus.LOST else "",
        "closed_at": timezone.make_aware(datetime.combine(opportunity.closed_on, time(16)))
        if opportunity.closed_on
        else None,
    }


def turn(rotation: dict[str, int], key: str, size: int) -> int:
    """The next of `size` choices for `key`, in rotation, so small demos still have each."""
    rotation[key] = rotation.get(key, -1) + 1
    return rotation[key] % size


def fresh_inbound(demo: Demo, now: datetime) -> list[Referral]:
    """Referrals a vendor rep sent in the last days (some about to expire) and a few that
    expired unanswered, for Northwind and the next partners."""
    rng = demo.rng
    reps = demo.users_with_role(Role.SALES_REP)
    assert demo.vendor is not None
    response = timedelta(days=ReferralProgram.current().response_days)
    made: list[Referral] = []
    for book in demo.partners[:3]:
        sent_times = [now - timedelta(hours=h) for h in FRESH]
        sent_times += [now - timedelta(days=d) for d in EXPIRED_DAYS_AGO]
        for sent_at in sent_times:
            customer = rng.choice(book.customers)
            expired = sent_at + response <= now
            rep = rng.choice(reps)
            opportunity = Opportunity.objects.create(
                organization=book.org,
                customer=customer,
                kind=OpportunityKind.CO_SELL,
                source=Source.ASSISTED,
                brought_by=demo.vendor,
                name=f"{customer.name}: co-sell lead",
                amount_minor=rng.randint(20, 200) * 100_000,
                currency_id=customer.currency_id,
                state=OpportunityState.LOST if expired else OpportunityState.OPEN,
                closed_on=(sent_at + response).date() if expired else None,
                opened_at=sent_at,
                created_by=rep,
            )
            made.append(
                Referral(
                    opportunity=opportunity,
                    organization=book.org,
                    direction=Direction.INBOUND,
                    substatus=Substatus.EXPIRED if expired else Substatus.RECEIVED,
                    sender_organization=demo.vendor,
                    sent_by=rep,
                    location=location_of(book, str(customer.country)),
                    estimated_close_date=demo.today + timedelta(days=60),
                    notes=rng.choice(NOTES),
                    expires_at=sent_at + response,
                    closed_at=sent_at + response if expired else None,
                )
            )
    return made


# Referrals that never reached the partner's team: no stages, no team.
NEVER_ACCEPTED = (Substatus.RECEIVED, Substatus.EXPIRED, Substatus.DECLINED)


def _transitions(referral: Referral, worker: User) -> list[ReferralTransition]:
    """Sent (inbound) or created, then declined or expired, or accepted and perhaps closed."""
    first = "send" if referral.direction == Direction.INBOUND else "create"
    start = Substatus.RECEIVED if first == "send" else Substatus.ACCEPTED
    actor = referral.opportunity.created_by
    rows = [ReferralTransition(referral=referral, action=first, to_substatus=start, actor=actor)]
    if referral.substatus in NEVER_ACCEPTED:
        if referral.substatus != Substatus.RECEIVED:
            action = "decline" if referral.substatus == Substatus.DECLINED else "expire"
            rows.append(
                ReferralTransition(
                    referral=referral,
                    action=action,
                    from_substatus=start,
                    to_substatus=referral.substatus,
                    actor=worker if action == "decline" else None,
                )
            )
        return rows
    if start == Substatus.RECEIVED:
        rows.append(
            ReferralTransition(
                referral=referral,
                action="accept",
                from_substatus=start,
                to_substatus=Substatus.ACCEPTED,
                actor=worker,
            )
        )
    if referral.substatus in (Substatus.WON, Substatus.LOST):
        rows.append(
            ReferralTransition(
                referral=referral,
                action=f"close_{referral.substatus}",
                from_substatus=Substatus.ACCEPTED,
                to_substatus=referral.substatus,
                actor=worker,
            )
        )
    return rows


def _team_member(referral: Referral, worker: User) -> ReferralTeamMember:
    first_name, _space, last_name = worker.full_name.partition(" ")
    return ReferralTeamMember(
        referral=referral,
        first_name=first_name,
        last_name=last_name or first_name,
        phone="+1 206 555 0100",
        email=worker.email,
        user=worker,
        is_owner=True,
    )


def build_lifecycles(
    demo: Demo, referrals: list[Referral], stages: dict[str, SalesStage], now: datetime
) -> None:
    """What the services would have written: the transitions, the stage marks and the team."""
    books = {book.org.pk: book for book in demo.partners}
    ordered = sorted(stages.values(), key=lambda s: s.position)
    transitions, marks, members = [], [], []
    for referral in referrals:
        book = books[referral.organization_id]
        worker = book.user_for(demo.rng, str(referral.location.country)).user
        transitions += _transitions(referral, worker)
        if referral.substatus in NEVER_ACCEPTED:
            continue
        assert referral.stage is not None
        marks += [
            ReferralStageMark(referral=referral, stage=stage, marked_by=worker)
            for stage in ordered
            if stage.position <= referral.stage.position
        ]
        members.append(_team_member(referral, worker))
    ReferralTransition.objects.bulk_create(transitions, batch_size=500)
    ReferralStageMark.objects.bulk_create(marks, batch_size=500)
    ReferralTeamMember.objects.bulk_create(members, batch_size=500)


def build_registrations(demo: Demo, referrals: list[Referral], now: datetime) -> int:
    """Won deals of eligible solutions are registered: approved, rejected or still waiting
    in the reviewers' queue; one of each kind per partner at least, in rotation."""
    expires_at = now + timedelta(days=DealProgram.current().exclusivity_days)
    fast_win = timedelta(hours=ReferralProgram.current().fast_win_hours)
    won = [
        r
        for r in referrals
        if r.substatus == Substatus.WON
        and r.solution_type
        and r.solution_type.registration_eligible
    ]
    reviewer = next(iter(demo.users_with_role(Role.REVIEWER)), None)
    proof_name = ""  # the one proof file, saved once and shared by every demo registration
    for index, referral in enumerate(won):
        state = REGISTRATION_STATES[index % len(REGISTRATION_STATES)]
        registration = _register(referral, state, expires_at, reviewer)
        details = _registration_details(demo, referral, registration, now, fast_win)
        if proof_name:
            details.proof.name = proof_name
        else:
            details.proof.save("purchase-order.pdf", ContentFile(QUOTE_PDF), save=False)
            proof_name = details.proof.name or ""
        details.save()
    return len(won)


def _register(
    referral: Referral, state: str, expires_at: datetime, reviewer: User | None
) -> Registration:
    """The registration, submitted and (unless still waiting) decided by the reviewer."""
    opportunity = referral.opportunity
    registration = Registration.objects.create(
        organization_id=referral.organization_id,
        kind=RegistrationKind.WON_REFERRAL,
        opportunity=opportunity,
        customer_id=opportunity.customer_id,
        state=state,
        expires_at=expires_at,
        submitted_by=opportunity.created_by,
        reason="The purchase order does not match the won value."
        if state == RegistrationState.REJECTED
        else "",
    )
    RegistrationTransition.objects.create(
        registration=registration, to_state=RegistrationState.SUBMITTED
    )
    if state != RegistrationState.SUBMITTED:
        RegistrationTransition.objects.create(
            registration=registration,
            from_state=RegistrationState.SUBMITTED,
            to_state=state,
            actor=reviewer,
            note=registration.reason,
        )
    return registration


def _registration_details(
    demo: Demo,
    referral: Referral,
    registration: Registration,
    now: datetime,
    fast_win: timedelta,
) -> ReferralRegistration:
    opportunity = referral.opportunity
    return ReferralRegistration(
        referral=referral,
        registration=registration,
        won_value_minor=max(opportunity.amount_minor, 1),
        currency_id=opportunity.currency_id,
        closed_on=opportunity.closed_on or demo.today,
        account_ids=f"SUB-{opportunity.pk:06d}",
        proof_name="purchase-order.pdf",
        proof_content_type="application/pdf",
        fast_win=(referral.closed_at or now) - opportunity.opened_at < fast_win,
    )
