"""Registration services: submit (with C9 conflict and duplicate rules), decide, resubmit,
expire. One lifecycle for both kinds of registration; `transitions.py` holds its moves.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.accounts.roles import Role
from openprm.core.errors import Conflict, Forbidden, field_error
from openprm.core.events import record_event
from openprm.crm.models import Customer, Opportunity, OpportunityState, Product
from openprm.deals.assignment import lead_recipients
from openprm.deals.models import (
    DealProgram,
    Registration,
    RegistrationKind,
    RegistrationState,
    RegistrationTransition,
)
from openprm.deals.transitions import HOLDING_STATES, OPEN_STATES, TRANSITIONS, target_state
from openprm.notifications.kinds import REGISTRATION_DECISION
from openprm.notifications.services import notify


def same_customer(customer: Customer) -> Q:
    """C9: the same customer is the same directory entry, DUNS number or domain."""
    match = Q(customer=customer)
    if customer.duns:
        match |= Q(customer__duns=customer.duns)
    if customer.domain:
        match |= Q(customer__domain__iexact=customer.domain)
    return match


def live_claims(
    *, customer: Customer, products: list[Product], states: frozenset[str], now: datetime.datetime
):
    """Registrations that claim the customer and one of the products now: a closed deal's
    registration claims nothing any more, so a lost deal frees the customer at once."""
    return Registration.objects.filter(
        same_customer(customer),
        state__in=states,
        expires_at__gt=now,
        opportunity__state=OpportunityState.OPEN,
        products__in=[p.pk for p in products],
    ).distinct()


def check_not_duplicate(
    *, partner: Any, customer: Customer, products: list[Product], exclude_opportunity: int | None
) -> None:
    """A partner registering the same customer and product again is told which deal has it."""
    mine = live_claims(
        customer=customer, products=products, states=OPEN_STATES, now=timezone.now()
    ).filter(organization=partner)
    if exclude_opportunity is not None:
        mine = mine.exclude(opportunity_id=exclude_opportunity)
    existing = mine.select_related("opportunity").first()
    if existing is not None:
        raise field_error(
            "products",
            _("You already registered this customer and product in “%(deal)s”.")
            % {"deal": existing.opportunity.name},
            "duplicate",
        )


def held_by_another(*, partner: Any, customer: Customer, products: list[Product]) -> bool:
    claims = live_claims(
        customer=customer, products=products, states=HOLDING_STATES, now=timezone.now()
    )
    return claims.filter(exclusive=True).exclude(organization=partner).exists()


def registration_submit(
    *,
    opportunity: Opportunity,
    products: list[Product],
    actor: Any,
    kind: str = RegistrationKind.LEAD,
) -> Registration:
    """Registers at once; another partner's live exclusive claim sends it to "In review
    (conflict)" without saying whose it is."""
    partner = opportunity.organization
    customer = opportunity.customer
    check_not_duplicate(
        partner=partner,
        customer=customer,
        products=products,
        exclude_opportunity=opportunity.pk,
    )
    conflict = held_by_another(partner=partner, customer=customer, products=products)
    program = DealProgram.current()
    registration = Registration.objects.create(
        organization=partner,
        kind=kind,
        opportunity=opportunity,
        customer=customer,
        state=RegistrationState.IN_REVIEW_CONFLICT if conflict else RegistrationState.SUBMITTED,
        expires_at=timezone.now() + datetime.timedelta(days=program.exclusivity_days),
        submitted_by=actor if isinstance(actor, User) else None,
    )
    registration.products.set(products)
    write_transition(registration, from_state="", actor=actor, note="")
    record_event(
        kind="registration.submitted",
        obj=registration,
        actor=actor,
        organization=partner,
        data={"state": registration.state, "opportunity": opportunity.pk},
    )
    return registration


def write_transition(registration: Registration, *, from_state: str, actor: Any, note: str):
    return RegistrationTransition.objects.create(
        registration=registration,
        from_state=from_state,
        to_state=registration.state,
        actor=actor if isinstance(actor, User) else None,
        note=note,
    )


def require_reviewer(user: Any) -> None:
    if getattr(user, "role", None) not in (Role.REVIEWER, Role.PROGRAM_ADMIN):
        raise Forbidden(_("Only registration reviewers decide on registrations."))


def move(registration: Registration, action: str) -> str:
    current = registration.state
    target = target_state(action, current)
    if target is None:
        raise Conflict(
            _("A registration that is “%(state)s” cannot be changed that way.")
            % {"state": registration.get_state_display()},
            code="invalid_transition",
        )
    registration.state = target
    return current


@transaction.atomic
def registration_decide(
    *,
    registration: Registration,
    action: str,
    actor: Any,
    reason: str = "",
    expected_version: int | None = None,
) -> Registration:
    """Approve, reject with a reason, or ask the partner for more information."""
    require_reviewer(actor)
    if action not in ("approve", "reject", "request_info"):
        raise field_error("action", _("Approve, reject or ask for more information."), "invalid")
    reason = (reason or "").strip()
    if action in ("reject", "request_info") and not reason:
        message = (
            _("Give the reason for rejecting.")
            if action == "reject"
            else _("Say what information you need.")
        )
        raise field_error("reason", message, "required")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.check_version(expected_version)
    previous = move(registration, action)
    if action == "reject":
        registration.reason = reason
    elif action == "request_info":
        registration.info_request = reason
    registration.bump_version()
    registration.save()
    transition = write_transition(registration, from_state=previous, actor=actor, note=reason)
    record_event(
        kind=f"registration.{registration.state}",
        obj=registration,
        actor=actor,
        organization=registration.organization,
        data={"from": previous, "reason": reason},
    )
    notify_partner(registration, transition)
    return registration


@transaction.atomic
def registration_resubmit(
    *, registration: Registration, actor: Any, answer: str, expected_version: int | None = None
) -> Registration:
    """The partner answers the reviewer's question; a live conflict sends it back to review."""
    if not getattr(actor, "is_partner", False) or actor.organization != registration.organization:
        raise Forbidden(_("Only the registering partner can answer."))
    answer = (answer or "").strip()
    if not answer:
        raise field_error("answer", _("Answer the reviewer's question."), "required")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.check_version(expected_version)
    previous = move(registration, "resubmit")
    products = list(registration.products.all())
    if held_by_another(
        partner=registration.organization, customer=registration.customer, products=products
    ):
        registration.state = RegistrationState.IN_REVIEW_CONFLICT
    registration.partner_answer = answer
    registration.bump_version()
    registration.save()
    write_transition(registration, from_state=previous, actor=actor, note=answer)
    record_event(
        kind="registration.resubmitted",
        obj=registration,
        actor=actor,
        organization=registration.organization,
        data={"state": registration.state},
    )
    return registration


def notify_partner(
    registration: Registration, transition: RegistrationTransition, *, title: str = ""
) -> None:
    recipients = {u.pk: u for u in lead_recipients(registration.organization)}
    if registration.submitted_by is not None and registration.submitted_by.is_active:
        recipients[registration.submitted_by.pk] = registration.submitted_by
    title = title or _("Registration of “%(deal)s”: %(state)s") % {
        "deal": registration.opportunity.name,
        "state": registration.get_state_display(),
    }
    link = registration_link(registration)
    for user in recipients.values():
        notify(
            recipient=user,
            kind=REGISTRATION_DECISION,
            cause=f"registration-transition:{transition.pk}",
            title=title,
            body=transition.note,
            link=link,
        )


# The page of what a registration registers, by kind, for registrations that are not a shared
# deal's: the referrals app adds its won-referral page here (deals imports no referrals code).
LINKS: dict[str, Callable[[Registration], str]] = {}


def registration_link(registration: Registration) -> str:
    deal = getattr(registration.opportunity, "shared_deal", None)
    if deal is not None:
        return reverse("deals:detail", args=[deal.pk])
    link = LINKS.get(registration.kind)
    return link(registration) if link else ""


@transaction.atomic
def registrations_expire(*, now: datetime.datetime) -> int:
    """Unconverted registrations past their exclusivity period expire and free the customer."""
    due = Registration.objects.select_for_update().filter(
        state__in=TRANSITIONS["expire"][0],
        expires_at__lte=now,
        opportunity__state=OpportunityState.OPEN,
    )
    count = 0
    for registration in due:
        previous = registration.state
        registration.state = RegistrationState.EXPIRED
        registration.bump_version()
        registration.save()
        transition = write_transition(registration, from_state=previous, actor=None, note="")
        record_event(
            kind="registration.expired",
            obj=registration,
            organization=registration.organization,
            data={"from": previous},
        )
        notify_partner(registration, transition)
        count += 1
    return count
