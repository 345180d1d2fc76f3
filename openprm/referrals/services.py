"""Referral writes: send (D1), the "New deal" wizard (D2), accept and decline (D4), edit and
team (D5), stages (D6), close (D7) and expiry. Every move goes through `perform`, which locks
the row, checks the transition table, writes the transition row and the domain event; the
opportunity row is written through crm's services. Registration (D8) is in registering.py.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Location, Membership, Organization, User
from openprm.accounts.roles import Role
from openprm.core.checks import (
    FieldErrors,
    checked_choice,
    positive_amount,
    required_date,
    required_text,
    valid_email,
)
from openprm.core.errors import Conflict, Forbidden, NotFound, field_error
from openprm.core.events import record_event
from openprm.crm.models import Currency, Customer, OpportunityKind, OpportunityState
from openprm.crm.services import (
    directory_customer_add,
    known_currency,
    opportunity_close,
    opportunity_create,
)
from openprm.notifications.kinds import REFERRAL_ANSWERED, REFERRAL_RECEIVED
from openprm.notifications.services import notify
from openprm.referrals.models import (
    ACCEPTED,
    AUTOMATIC_STAGES,
    CREATED,
    WON,
    AssessmentVetting,
    DeclineReason,
    Direction,
    LostReason,
    PartnerCrmStage,
    PurchaseTimeframe,
    Referral,
    ReferralProgram,
    ReferralStageMark,
    ReferralTeamMember,
    ReferralTransition,
    SalesStage,
    SolutionType,
    Substatus,
)
from openprm.referrals.stage_mapping import standard_stage_for
from openprm.referrals.transitions import (
    EVENT_KINDS,
    NEW,
    allowed_actions,
    effective_substatus,
    target_substatus,
)

REFERRAL_KINDS = (OpportunityKind.CO_SELL, OpportunityKind.SOLUTION_ASSESSMENT)
TEAM_FIELDS = ("first_name", "last_name", "phone", "email")


# --- who may act, and the one place a referral moves ---------------------------------------


def works_for_owner(user: Any, referral: Referral) -> bool:
    """Only people of the partner that owns the referral act on it (visibility aside)."""
    return bool(
        getattr(user, "is_partner", False)
        and user.organization is not None
        and user.organization.pk == referral.organization_id
    )


def can_work(user: Any, referral: Referral) -> bool:
    """The owner's people, as far as they see the referral (D3)."""
    return (
        works_for_owner(user, referral)
        and Referral.objects.for_user(user).filter(pk=referral.pk).exists()
    )


def require_worker(user: Any, referral: Referral) -> None:
    if not Referral.objects.for_user(user).filter(pk=referral.pk).exists():
        raise NotFound()
    if not can_work(user, referral):
        raise Forbidden(_("Only the partner working this referral can change it."))


def not_allowed(referral: Referral, substatus: str) -> Conflict:
    allowed = allowed_actions(substatus)
    label = Substatus(substatus).label
    if allowed:
        message = _("This referral is %(status)s; allowed actions: %(actions)s.") % {
            "status": label,
            "actions": ", ".join(allowed),
        }
    else:
        message = _("This referral is %(status)s; no action is possible on it.") % {"status": label}
    return Conflict(message, field="action", code="invalid_transition")


@dataclass
class Move:
    referral: Referral
    transition: ReferralTransition


def perform(
    *,
    referral: Referral,
    action: str,
    actor: Any,
    expected_version: int | None = None,
    change: Callable[[Referral], str] | None = None,
    data: dict[str, Any] | None = None,
) -> Move:
    """Lock, check the move against the table (and the expiry), apply `change` (which returns
    the transition's note), then write the transition and the event. A referral not saved yet
    makes its first move, from NEW: it is written first, so that `change` can give it its
    team and stage marks. Call inside atomic()."""
    now = timezone.now()
    if referral.pk is None:
        current = NEW
    else:
        referral = locked(referral)
        referral.check_version(expected_version)
        current = effective_substatus(referral, now) if action != "expire" else referral.substatus
    target = target_substatus(action, current)
    if target is None:
        raise not_allowed(referral, current)
    if current == NEW:
        referral.substatus = target
        referral.save()
        note = change(referral) if change else ""
    else:
        note = change(referral) if change else ""
        referral.substatus = target
        if target != current and referral.is_closed:
            referral.closed_at = now
        referral.bump_version()
        referral.full_clean(exclude=["opportunity", "organization", "location"])
        referral.save()
    transition = ReferralTransition.objects.create(
        referral=referral,
        action=action,
        from_substatus=current,
        to_substatus=target,
        actor=actor if isinstance(actor, User) else None,
        note=note,
    )
    record_event(
        kind=EVENT_KINDS.get(action, f"referral.{action}"),
        obj=referral,
        actor=actor,
        organization=referral.organization,
        data={"from": current, "to": target, **(data or {})},
    )
    return Move(referral, transition)


def locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("opportunity", "organization", "stage")
        .get(pk=referral.pk)
    )


def touch_opportunity(referral: Referral, **fields: Any) -> None:
    """The opportunity row carries the name and the value; both rows' ETags move together."""
    opportunity = referral.opportunity
    for field, value in fields.items():
        setattr(opportunity, field, value)
    opportunity.bump_version()
    opportunity.full_clean()
    opportunity.save()


# --- shared field rules ------------------------------------------------------------------------


def partner_location(partner: Organization, value: Location | int | None, *, field: str):
    """One of the partner's own locations; anything else is an error on `field`."""
    if value is None or value == "":
        raise field_error(field, _("Choose one of your locations."), "required")
    pk = value.pk if isinstance(value, Location) else value
    location = Location.objects.filter(pk=pk, organization=partner).first()
    if location is None:
        raise field_error(field, _("Choose one of the partner's own locations."), "not_own")
    return location


def known(currency: Currency | str) -> Currency:
    return currency if isinstance(currency, Currency) else known_currency(currency)


def chosen_customer(customer: Customer | None) -> Customer:
    if customer is None:
        raise field_error("customer", _("Choose the customer."), "required")
    return customer


@dataclass(frozen=True)
class Contact:
    name: str = ""
    phone: str = ""
    email: str = ""

    @property
    def given(self) -> bool:
        return bool(self.name or self.phone or self.email)

    def referral_fields(self, actor: Any, now: datetime.datetime) -> dict[str, Any]:
        """The contact as a referral stores it, with the consent recorded when one is given."""
        return {
            "contact_name": self.name,
            "contact_phone": self.phone,
            "contact_email": self.email,
            "consent_recorded_by": actor if self.given else None,
            "consent_recorded_at": now if self.given else None,
        }


def checked_contact(contact: Contact, *, required: bool, consent: bool) -> Contact:
    """D2 step 2: all three when required; giving any of it needs the customer's consent."""
    contact = Contact(contact.name.strip(), contact.phone.strip(), contact.email.strip().lower())
    errors = FieldErrors()
    if required or contact.given:
        for field, value in (
            ("contact_name", contact.name),
            ("contact_phone", contact.phone),
            ("contact_email", contact.email),
        ):
            if not value:
                errors.add(field, _("This field is required."), "required")
    if contact.email:
        errors.check(valid_email, "contact_email", contact.email)
    if contact.given and not consent:
        errors.add(
            "consent",
            _("Record the customer's consent to share the contact with the vendor."),
            "required",
        )
    errors.raise_any()
    return contact


def checked_team(members: list[dict[str, str]], *, required: bool) -> list[dict[str, str]]:
    """D2 step 4: every member given is complete (name, phone, email); at least one if
    `required`. Errors name the member: team.0.phone."""
    cleaned: list[dict[str, str]] = []
    errors = FieldErrors()
    for index, member in enumerate(members or []):
        unknown = sorted(set(member) - set(TEAM_FIELDS))
        if unknown:
            errors.add(
                f"team.{index}.{unknown[0]}", _("This field cannot be set."), "unknown_field"
            )
            continue
        row = {field: (member.get(field) or "").strip() for field in TEAM_FIELDS}
        row["email"] = row["email"].lower()
        for field in TEAM_FIELDS:
            if not row[field]:
                errors.add(f"team.{index}.{field}", _("This field is required."), "required")
        if row["email"]:
            errors.check(valid_email, f"team.{index}.email", row["email"])
        cleaned.append(row)
    if required and not members:
        errors.add(
            "team", _("Add at least one team member with name, phone and email."), "required"
        )
    emails = [row["email"] for row in cleaned if row["email"]]
    if len(emails) != len(set(emails)):
        errors.add("team", _("A team member is listed twice."), "duplicate")
    errors.raise_any()
    return cleaned


def add_team(referral: Referral, members: list[dict[str, str]]) -> list[ReferralTeamMember]:
    """New members only (an email already on the team is skipped); users linked by email."""
    existing = set(referral.team_members.values_list("email", flat=True))
    emails = [m["email"] for m in members if m["email"] not in existing]
    users = {
        u.email: u
        for u in User.objects.filter(
            email__in=emails,
            is_active=True,
            pk__in=Membership.objects.filter(organization=referral.organization).values("user"),
        )
    }
    added = []
    for member in members:
        if member["email"] in existing:
            continue
        existing.add(member["email"])
        added.append(
            ReferralTeamMember.objects.create(
                referral=referral, user=users.get(member["email"]), **member
            )
        )
    return added


def join_team(referral: Referral, user: User) -> None:
    """D3: whoever accepts or creates a referral joins its team."""
    if referral.team_members.filter(Q(user=user) | Q(email=user.email)).exists():
        referral.team_members.filter(email=user.email, user__isnull=True).update(user=user)
        return
    first, _space, last = (user.full_name or user.email).partition(" ")
    ReferralTeamMember.objects.create(
        referral=referral, first_name=first, last_name=last, email=user.email, user=user
    )


def stages_in_order() -> list[SalesStage]:
    return list(SalesStage.objects.order_by("position"))


def mark_up_to(referral: Referral, stage: SalesStage, actor: Any) -> list[SalesStage]:
    """Marks `stage` and every stage below it; returns the stages newly marked."""
    marked = set(referral.stage_marks.values_list("stage_id", flat=True))
    new = [s for s in stages_in_order() if s.position <= stage.position and s.pk not in marked]
    ReferralStageMark.objects.bulk_create(
        ReferralStageMark(
            referral=referral, stage=s, marked_by=actor if isinstance(actor, User) else None
        )
        for s in new
    )
    if referral.stage is None or stage.position > referral.stage.position:
        referral.stage = stage
    return new


def stage_by_code(code: str) -> SalesStage:
    return SalesStage.objects.get(code=code)


# --- D1: send a referral to a partner ----------------------------------------------------------


def require_sender(actor: Any) -> Organization:
    """Vendor sales reps (and the program admin) and partners send referrals."""
    organization = getattr(actor, "organization", None)
    allowed = getattr(actor, "is_partner", False) or getattr(actor, "role", None) in (
        Role.SALES_REP,
        Role.PROGRAM_ADMIN,
    )
    if organization is None or not allowed:
        raise Forbidden(_("Only vendor sales reps and partners send referrals."))
    return organization


def receiving_partner(sender: Organization, partner: Organization | None) -> Organization:
    if partner is None or not partner.is_active or partner.kind != "partner":
        raise field_error("partner", _("Choose an active partner."), "invalid")
    if partner.pk == sender.pk:
        raise field_error("partner", _("A referral goes to another partner."), "own")
    return partner


def default_location(partner: Organization, customer: Customer) -> Location | None:
    """The receiver's office in the customer's country, else its first office."""
    locations = list(partner.locations.all())
    same_country = [loc for loc in locations if loc.country == customer.country]
    choices = same_country or locations
    return choices[0] if choices else None


def receiving_location(
    partner: Organization, customer: Customer, location: Location | int | None
) -> Location:
    """The sender's choice among the partner's own locations, else `default_location`."""
    if location is not None:
        return partner_location(partner, location, field="location")
    chosen = default_location(partner, customer)
    if chosen is None:
        raise field_error("location", _("The partner has no location."), "required")
    return chosen


@transaction.atomic
def referral_send(
    *,
    actor: Any,
    partner: Organization | None,
    customer: Customer | None,
    name: str,
    amount_minor: int | None,
    currency: Currency | str,
    notes: str,
    location: Location | int | None = None,
    contact: Contact | None = None,
    consent: bool = False,
    estimated_close_date: datetime.date | None = None,
) -> Referral:
    """D1 "Send referral": it arrives on the partner's Inbound tab as Received, with the date
    it expires; for the receiver it is an assisted opportunity."""
    sender = require_sender(actor)
    errors = FieldErrors()
    receiver = errors.check(receiving_partner, sender, partner)
    name = errors.check(required_text, "name", name)
    notes = errors.check(required_text, "notes", notes)
    amount_minor = errors.check(positive_amount, "value", amount_minor)
    currency = errors.check(known, currency)
    contact = errors.check(checked_contact, contact or Contact(), required=False, consent=consent)
    customer = errors.check(chosen_customer, customer)
    if receiver is not None and customer is not None:
        location = errors.check(receiving_location, receiver, customer, location)
    errors.raise_any()
    opportunity = opportunity_create(
        partner=receiver,
        customer=customer,
        kind=OpportunityKind.CO_SELL,
        name=name,
        currency=currency,
        actor=actor,
        brought_by=sender,
        amount_minor=amount_minor,
    )
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=ReferralProgram.current().response_days)
    referral = Referral(
        opportunity=opportunity,
        organization=receiver,
        direction=Direction.INBOUND,
        sender_organization=sender,
        sent_by=actor,
        location=location,
        **contact.referral_fields(actor, now),
        estimated_close_date=estimated_close_date,
        notes=notes,
        expires_at=expires_at,
    )
    data = {"from_organization": sender.pk, "expires_at": expires_at.isoformat()}
    move = perform(referral=referral, action="send", actor=actor, data=data)
    transaction.on_commit(lambda: notify_received(move.referral, move.transition))
    return move.referral


def receivers_of(referral: Referral) -> list[User]:
    """Who sees a received referral (D3): admins, global-scope users, users whose scope
    covers its location."""
    memberships = Membership.objects.filter(
        organization_id=referral.organization_id,
        role__in=(Role.PARTNER_ADMIN, Role.PARTNER_USER),
        user__is_active=True,
    ).select_related("user")
    country = referral.location.country
    return [
        m.user
        for m in memberships
        if m.role == Role.PARTNER_ADMIN or m.global_scope or country in (m.countries or [])
    ]


def notify_received(referral: Referral, transition: ReferralTransition) -> None:
    title = _("New referral: %(name)s") % {"name": referral.opportunity.name}
    for user in receivers_of(referral):
        notify(
            recipient=user,
            kind=REFERRAL_RECEIVED,
            cause=f"referral-transition:{transition.pk}",
            title=title,
            body=referral.notes,
            link=referral_link(referral),
        )


def notify_sender(referral: Referral, transition: ReferralTransition, title: str) -> None:
    recipients: list[User] = []
    if referral.sent_by is not None and referral.sent_by.is_active:
        recipients = [referral.sent_by]
    elif referral.sender_organization_id is not None:
        recipients = [
            m.user
            for m in Membership.objects.filter(
                organization_id=referral.sender_organization_id,
                role__in=(Role.PARTNER_ADMIN, Role.PROGRAM_ADMIN),
                user__is_active=True,
            ).select_related("user")
        ]
    for user in recipients:
        notify(
            recipient=user,
            kind=REFERRAL_ANSWERED,
            cause=f"referral-transition:{transition.pk}",
            title=title,
            body=transition.note,
            link=referral_link(referral),
        )


def referral_link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


# --- D2: the "New deal" wizard -----------------------------------------------------------------


def referral_kind(kind: str) -> str:
    if kind not in REFERRAL_KINDS:
        raise field_error("kind", _("Choose co-sell or solution assessment."), "invalid_choice")
    return kind


def is_vetted(organization: Organization) -> bool:
    return AssessmentVetting.objects.filter(organization=organization).exists()


def one_solution(solution_type_ids: list[int]) -> SolutionType:
    ids = list(dict.fromkeys(int(pk) for pk in solution_type_ids or []))
    if len(ids) != 1:
        raise field_error(
            "solution_type_ids", _("Choose exactly one solution assessment type."), "exactly_one"
        )
    solution = SolutionType.objects.filter(pk=ids[0], is_active=True).first()
    if solution is None:
        raise field_error("solution_type_ids", _("Unknown solution type."), "unknown")
    return solution


@dataclass(frozen=True)
class Details:
    """D2 step 3 (and what an accepted deal may edit)."""

    name: str
    location: Location | int | None
    amount_minor: int | None
    currency: Currency | str
    estimated_close_date: datetime.date | None
    notes: str
    crm_id: str = ""
    campaign_id: str = ""


@dataclass(frozen=True)
class NewDeal:
    """A "New deal" as checked, every value clean, ready to be written."""

    kind: str
    name: str
    location: Location
    amount_minor: int
    currency: Currency
    notes: str
    contact: Contact
    team: list[dict[str, str]]
    estimated_close_date: datetime.date
    solution: SolutionType | None
    assessment_location: Location | None
    customer: Customer


def checked_deal(
    organization: Organization,
    *,
    kind: str,
    customer: Customer | None,
    details: Details,
    team: list[dict[str, str]],
    agreed: bool,
    contact: Contact,
    consent: bool,
    vendor_help_requested: bool,
    solution_type_ids: list[int],
    assessment_location: Location | int | None,
) -> NewDeal:
    """Every bad field at once, each named as the wizard's steps and the API name it."""
    is_assessment = kind == OpportunityKind.SOLUTION_ASSESSMENT
    needs_contact = is_assessment or vendor_help_requested
    errors = FieldErrors()
    deal = NewDeal(
        kind=errors.check(referral_kind, kind),
        name=errors.check(required_text, "name", details.name),
        location=errors.check(partner_location, organization, details.location, field="location"),
        amount_minor=errors.check(positive_amount, "value", details.amount_minor),
        currency=errors.check(known, details.currency),
        notes=errors.check(required_text, "notes", details.notes),
        contact=errors.check(checked_contact, contact, required=needs_contact, consent=consent),
        team=errors.check(checked_team, team, required=True),
        estimated_close_date=errors.check(
            required_date, "estimated_close_date", details.estimated_close_date
        ),
        solution=errors.check(one_solution, solution_type_ids) if is_assessment else None,
        assessment_location=errors.check(
            partner_location, organization, assessment_location, field="assessment_location"
        )
        if is_assessment
        else None,
        customer=errors.check(chosen_customer, customer),
    )
    if is_assessment and not is_vetted(organization):
        message = _("Only partners the vendor vetted can create solution assessment deals.")
        errors.add("kind", message, "not_vetted")
    if not is_assessment and (solution_type_ids or assessment_location):
        message = _("Only solution assessment deals have a solution.")
        errors.add("solution_type_ids", message, "invalid")
    if not agreed:
        errors.add("agreed", _("Tick the agree box."), "required")
    errors.raise_any()
    return deal


def directory_entry_added(actor: Any, new_customer: dict[str, Any]) -> Customer:
    """The customer the directory lacked, added; its errors name new_customer's fields."""
    try:
        with transaction.atomic():
            return directory_customer_add(actor=actor, **new_customer)
    except ValidationError as exc:
        raise ValidationError(
            {f"new_customer.{field}": errors for field, errors in exc.error_dict.items()}
        ) from None


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    kind: str,
    customer: Customer | None,
    details: Details,
    team: list[dict[str, str]],
    agreed: bool,
    contact: Contact | None = None,
    consent: bool = False,
    specialist_memo: str = "",
    vendor_help_requested: bool = False,
    solution_type_ids: list[int] | None = None,
    assessment_location: Location | int | None = None,
    new_customer: dict[str, Any] | None = None,
) -> Referral:
    """D2 "Create deal": the deal lands on the Outbound tab as Accepted; it is sourced. The
    customer is a directory entry, or `new_customer` (name, country, currency, duns, address,
    city, postal_code, domain) adds one, in the same transaction as the deal."""
    organization = getattr(actor, "organization", None)
    if not getattr(actor, "is_partner", False) or organization is None:
        raise Forbidden(_("Only partners create deals."))
    if customer is None and new_customer is not None:
        customer = directory_entry_added(actor, new_customer)
    deal = checked_deal(
        organization,
        kind=kind,
        customer=customer,
        details=details,
        team=team,
        agreed=agreed,
        contact=contact or Contact(),
        consent=consent,
        vendor_help_requested=vendor_help_requested,
        solution_type_ids=solution_type_ids or [],
        assessment_location=assessment_location,
    )
    opportunity = opportunity_create(
        partner=organization,
        customer=deal.customer,
        kind=deal.kind,
        name=deal.name,
        currency=deal.currency,
        actor=actor,
        brought_by=organization,
        amount_minor=deal.amount_minor,
    )
    referral = Referral(
        opportunity=opportunity,
        organization=organization,
        direction=Direction.OUTBOUND,
        sender_organization=organization,
        location=deal.location,
        solution_type=deal.solution,
        assessment_location=deal.assessment_location,
        **deal.contact.referral_fields(actor, timezone.now()),
        specialist_memo=(specialist_memo or "").strip(),
        vendor_help_requested=vendor_help_requested,
        estimated_close_date=deal.estimated_close_date,
        crm_id=(details.crm_id or "").strip(),
        campaign_id=(details.campaign_id or "").strip(),
        notes=deal.notes,
    )

    def join(created: Referral) -> str:
        add_team(created, deal.team)
        join_team(created, actor)
        mark_up_to(created, stage_by_code(ACCEPTED), actor)
        created.save(update_fields=["stage"])
        return ""

    data = {"kind": deal.kind, "solution": deal.solution.pk if deal.solution else None}
    move = perform(referral=referral, action="create", actor=actor, change=join, data=data)
    return move.referral


# --- D4: accept or decline a received referral -------------------------------------------------


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    actor: Any,
    notes: str,
    name: str | None = None,
    amount_minor: int | None = None,
    purchase_timeframe: str = "",
    crm_id: str = "",
    campaign_id: str = "",
    team: list[dict[str, str]] | None = None,
    expected_version: int | None = None,
) -> Referral:
    """Accept: name, value and purchase timeframe editable, notes required, CRM ID, campaign
    ID and team optional; the accepter joins the team. Never past the expiry."""
    require_worker(actor, referral)
    errors = FieldErrors()
    notes = errors.check(required_text, "notes", notes)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = errors.check(required_text, "name", name)
    if amount_minor is not None:
        changes["amount_minor"] = errors.check(positive_amount, "value", amount_minor)
    timeframe = errors.check(
        checked_choice, "purchase_timeframe", purchase_timeframe, PurchaseTimeframe, required=False
    )
    members = errors.check(checked_team, team or [], required=False)
    errors.raise_any()

    def accept(locked: Referral) -> str:
        locked.notes = notes
        locked.purchase_timeframe = timeframe
        locked.crm_id = (crm_id or "").strip()
        locked.campaign_id = (campaign_id or "").strip()
        touch_opportunity(locked, **changes)
        add_team(locked, members)
        join_team(locked, actor)
        mark_up_to(locked, stage_by_code(ACCEPTED), actor)
        return notes

    move = perform(
        referral=referral,
        action="accept",
        actor=actor,
        expected_version=expected_version,
        change=accept,
    )
    return move.referral


def close_unworked(referral: Referral, actor: Any, closed_on: datetime.date) -> str:
    """A declined or expired referral leaves the pipeline: its opportunity closes as lost, so
    in-flight reports no longer count it."""
    referral.opportunity = opportunity_close(
        opportunity=referral.opportunity,
        state=OpportunityState.LOST,
        closed_on=closed_on,
        actor=actor,
    )
    return ""


@transaction.atomic
def referral_decline(
    *,
    referral: Referral,
    actor: Any,
    reason: str,
    message: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Decline: a reason from the list and a message; archived as declined, sender notified."""
    require_worker(actor, referral)
    reason = checked_choice("reason", reason, DeclineReason, required=True)

    def decline(locked: Referral) -> str:
        locked.decline_reason = reason
        locked.decline_message = (message or "").strip()
        close_unworked(locked, actor, timezone.localdate())
        return locked.decline_message

    move = perform(
        referral=referral,
        action="decline",
        actor=actor,
        expected_version=expected_version,
        change=decline,
        data={"reason": reason},
    )
    declined, transition = move.referral, move.transition
    title = _("Referral declined: %(name)s (%(reason)s)") % {
        "name": declined.opportunity.name,
        "reason": DeclineReason(reason).label,
    }
    transaction.on_commit(lambda: notify_sender(declined, transition, title))
    return declined


@transaction.atomic
def referrals_expire(*, now: datetime.datetime) -> int:
    """The sweep: received referrals past their expiry are archived as expired; the sender
    is notified. Idempotent: an expired referral is no longer Received."""
    due = Referral.objects.filter(substatus=Substatus.RECEIVED, expires_at__lte=now).values_list(
        "pk", flat=True
    )
    count = 0
    for pk in list(due):
        move = perform(
            referral=Referral(pk=pk),
            action="expire",
            actor=None,
            change=lambda locked: close_unworked(locked, None, timezone.localdate(now)),
        )
        expired, transition = move.referral, move.transition
        title = _("Referral expired unanswered: %(name)s") % {"name": expired.opportunity.name}
        transaction.on_commit(
            lambda r=expired, t=transition, m=title: notify_sender(r, t, m)  # type: ignore[misc]
        )
        count += 1
    return count


# --- D5: edit an accepted deal and its team ----------------------------------------------------

UPDATABLE = (
    "name",
    "estimated_close_date",
    "amount_minor",
    "notes",
    "crm_id",
    "campaign_id",
    "purchase_timeframe",
    "crm_stage",
    "stage_percentage",
)
IMMUTABLE = (
    "location",
    "location_id",
    "solution_type",
    "solution_type_ids",
    "assessment_location",
    "assessment_location_id",
)


def checked_update(referral: Referral, data: dict[str, Any]) -> dict[str, Any]:
    """The edited values that need cleaning, and the standard stage a CRM stage maps to."""
    for field in data:
        if field in IMMUTABLE:
            raise field_error(
                field, _("The location and the solution cannot change after creation."),
                "immutable",
            )  # fmt: skip
        if field not in UPDATABLE:
            raise field_error(field, _("This field cannot be set."), "unknown_field")
    errors = FieldErrors()
    values: dict[str, Any] = {}
    if "name" in data:
        values["name"] = errors.check(required_text, "name", data["name"])
    if "notes" in data:
        values["notes"] = errors.check(required_text, "notes", data["notes"])
    if "amount_minor" in data:
        values["amount_minor"] = errors.check(positive_amount, "value", data["amount_minor"])
    if "estimated_close_date" in data:
        errors.check(required_date, "estimated_close_date", data["estimated_close_date"])
    if "purchase_timeframe" in data:
        timeframe = data["purchase_timeframe"]
        errors.check(
            checked_choice, "purchase_timeframe", timeframe, PurchaseTimeframe, required=False
        )
    if "crm_stage" in data or "stage_percentage" in data:
        values["stage"] = errors.check(
            mapped_stage,
            referral.organization,
            crm_stage=data.get("crm_stage"),
            percentage=data.get("stage_percentage"),
        )
    errors.raise_any()
    return values


@transaction.atomic
def referral_update(
    *, referral: Referral, actor: Any, expected_version: int | None = None, **data: Any
) -> Referral:
    """D5 "Edit". Location and solution never change after creation. A partner's CRM may
    carry its own stage name (`crm_stage`) or a percentage (`stage_percentage`), mapped onto
    the standard stages (D9)."""
    require_worker(actor, referral)
    values = checked_update(referral, data)

    def update(locked: Referral) -> str:
        for field in ("estimated_close_date", "crm_id", "campaign_id", "purchase_timeframe"):
            if field in data:
                value = data[field]
                setattr(locked, field, value.strip() if isinstance(value, str) else value)
        if "notes" in values:
            locked.notes = values["notes"]
        touch_opportunity(locked, **{k: values[k] for k in ("name", "amount_minor") if k in values})
        stage = values.get("stage")
        if stage is not None and stage.code not in AUTOMATIC_STAGES:
            mark_up_to(locked, stage, actor)
        return ""

    fields = sorted(data)
    move = perform(
        referral=referral,
        action="update",
        actor=actor,
        expected_version=expected_version,
        change=update,
        data={"fields": fields},
    )
    return move.referral


@transaction.atomic
def referral_team_add(
    *,
    referral: Referral,
    actor: Any,
    members: list[dict[str, str]],
    expected_version: int | None = None,
) -> Referral:
    """D5 "Add team": complete members only; an email already on the team is kept once."""
    require_worker(actor, referral)
    cleaned = checked_team(members, required=True)

    def add(locked: Referral) -> str:
        add_team(locked, cleaned)
        return ""

    move = perform(
        referral=referral,
        action="team",
        actor=actor,
        expected_version=expected_version,
        change=add,
        data={"emails": [m["email"] for m in cleaned]},
    )
    return move.referral


# --- D6: sales stages, D9: a partner's CRM stages ----------------------------------------------


def mapped_stage(
    organization: Organization, *, crm_stage: str | None = None, percentage: int | None = None
) -> SalesStage | None:
    """The standard stage a partner's CRM stage name, or a percentage, maps to."""
    if crm_stage:
        own = organization.crm_stages.filter(name__iexact=crm_stage.strip()).first()
        if own is None:
            raise field_error(
                "crm_stage",
                _("“%(name)s” is not one of your CRM stages.") % {"name": crm_stage},
                "unknown",
            )
        percentage = own.percentage
    if percentage is None:
        raise field_error("stage_percentage", _("This field is required."), "required")
    if not 0 <= percentage <= 100:
        raise field_error("stage_percentage", _("Give a percentage from 0 to 100."), "range")
    return standard_stage_for(percentage, stages_in_order())


@transaction.atomic
def referral_mark_stage(
    *,
    referral: Referral,
    actor: Any,
    stage: SalesStage | str | None = None,
    crm_stage: str | None = None,
    percentage: int | None = None,
    expected_version: int | None = None,
) -> Referral:
    """D6: mark a stage complete, and every stage below it. Stages never move backwards:
    a stage at or below the current one is already complete and changes nothing. Won
    happens only by closing."""
    require_worker(actor, referral)
    if stage is None:
        chosen = mapped_stage(referral.organization, crm_stage=crm_stage, percentage=percentage)
    else:
        chosen = (
            stage
            if isinstance(stage, SalesStage)
            else SalesStage.objects.filter(code=stage).first()
        )
        if chosen is None:
            raise field_error("stage", _("Unknown sales stage."), "unknown")
        if chosen.code == WON:
            raise field_error("stage", _("Won happens only by closing the deal."), "close_to_win")
        if chosen.code == CREATED:
            chosen = None

    def mark(locked: Referral) -> str:
        if chosen is not None and chosen.code not in AUTOMATIC_STAGES:
            mark_up_to(locked, chosen, actor)
        return ""

    move = perform(
        referral=referral,
        action="stages",
        actor=actor,
        expected_version=expected_version,
        change=mark,
        data={"stage": chosen.code if chosen else None},
    )
    return move.referral


def missing_stages_for_win(referral: Referral) -> list[SalesStage]:
    """For solution assessments every stage before Won must be complete (D6)."""
    won = stage_by_code(WON)
    marked = set(referral.stage_marks.values_list("stage_id", flat=True))
    return [s for s in stages_in_order() if s.position < won.position and s.pk not in marked]


# --- D7: close as won or lost ------------------------------------------------------------------


@transaction.atomic
def referral_close(
    *,
    referral: Referral,
    actor: Any,
    outcome: str,
    lost_reason: str = "",
    note: str = "",
    closed_on: datetime.date | None = None,
    amount_minor: int | None = None,
    mrr_minor: int | None = None,
    expected_version: int | None = None,
) -> Referral:
    """Won or lost (lost with a reason). The opportunity row closes with it, so goals, points
    and dashboards follow. A solution assessment is won only with every stage complete."""
    require_worker(actor, referral)
    if outcome not in (OpportunityState.WON, OpportunityState.LOST):
        raise field_error("outcome", _("Close as won or lost."), "invalid_choice")
    if outcome == OpportunityState.LOST:
        lost_reason = checked_choice("lost_reason", lost_reason, LostReason, required=True)
    if amount_minor is not None:
        positive_amount("value", amount_minor)
    closed_on = closed_on or timezone.localdate()

    def close(locked: Referral) -> str:
        if outcome == OpportunityState.WON:
            if locked.is_solution_assessment:
                missing = missing_stages_for_win(locked)
                if missing:
                    raise field_error(
                        "stage",
                        _("Mark every stage complete before Won; missing: %(stages)s.")
                        % {"stages": ", ".join(s.label for s in missing)},
                        "stages_missing",
                    )
            mark_up_to(locked, stage_by_code(WON), actor)
        else:
            locked.lost_reason = lost_reason
        locked.close_note = (note or "").strip()
        locked.opportunity = opportunity_close(
            opportunity=locked.opportunity,
            state=outcome,
            closed_on=closed_on,
            actor=actor,
            amount_minor=amount_minor,
            mrr_minor=mrr_minor,
        )
        return locked.close_note

    move = perform(
        referral=referral,
        action=f"close_{outcome}",
        actor=actor,
        expected_version=expected_version,
        change=close,
        data={"closed_on": closed_on.isoformat(), "lost_reason": lost_reason},
    )
    return move.referral


# --- D9: the partner's own CRM stage names -----------------------------------------------------


def require_partner_admin(actor: Any) -> Organization:
    organization = getattr(actor, "organization", None)
    if not getattr(actor, "is_partner_admin", False) or organization is None:
        raise Forbidden(_("Only the partner admin sets the CRM stage mapping."))
    return organization


@transaction.atomic
def crm_stage_save(*, actor: Any, name: str, percentage: int) -> PartnerCrmStage:
    """Adds the partner's CRM stage, or gives an existing one (same name) a new percentage."""
    organization = require_partner_admin(actor)
    name = required_text("name", name)
    if not 0 <= percentage <= 100:
        raise field_error("percentage", _("Give a percentage from 0 to 100."), "range")
    stage = PartnerCrmStage.objects.filter(organization=organization, name__iexact=name).first()
    stage = stage or PartnerCrmStage(organization=organization)
    stage.name = name
    stage.percentage = percentage
    stage.full_clean(exclude=["organization"], validate_unique=False)
    stage.save()
    record_event(
        kind="referral_crm_stage.saved",
        obj=stage,
        actor=actor,
        organization=organization,
        data={"name": name, "percentage": percentage},
    )
    return stage


@transaction.atomic
def crm_stage_delete(*, actor: Any, stage: PartnerCrmStage) -> None:
    organization = require_partner_admin(actor)
    if stage.organization_id != organization.pk:
        raise NotFound()
    record_event(
        kind="referral_crm_stage.deleted",
        obj=stage,
        actor=actor,
        organization=organization,
        data={"name": stage.name},
    )
    stage.delete()
