"""Registration writes: submit (with C9 conflict and duplicate rules), decide, resubmit,
expire, and the C9 extension: a warning before the exclusivity ends, the partner's request, the
reviewer's decision. One lifecycle for both kinds of registration; `transitions.py` holds its
moves, and each step is a transition row and an event.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.core.dates import user_zone
from openprm.core.errors import Conflict, Forbidden, field_error
from openprm.core.events import record_event
from openprm.core.formatting import format_date
from openprm.core.marks import mark_run
from openprm.crm.models import Customer, Opportunity, OpportunityState, Product
from openprm.deals.assignment.selectors import lead_recipients
from openprm.deals.models import (
    EXPIRY_UNWARNED,
    DealProgram,
    Registration,
    RegistrationKind,
    RegistrationState,
    RegistrationTransition,
)
from openprm.deals.registrations.selectors import EXPIRY_MARK, expiry_due, is_reviewer, live_claims
from openprm.deals.registrations.transitions import (
    HOLDING_STATES,
    OPEN_STATES,
    TRANSITIONS,
    target_state,
)
from openprm.notifications.kinds import REGISTRATION_DECISION
from openprm.notifications.services import notify

WARNING_DAYS = 14


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


def held_by_another(*, partner: Organization, customer: Customer, products: list[Product]) -> bool:
    claims = live_claims(
        customer=customer, products=products, states=HOLDING_STATES, now=timezone.now()
    )
    return claims.filter(exclusive=True).exclude(organization=partner).exists()


def registration_submit(
    *,
    opportunity: Opportunity,
    products: list[Product],
    actor: User,
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


def write_transition(
    registration: Registration, *, from_state: str, actor: User | None, note: str
) -> RegistrationTransition:
    return RegistrationTransition.objects.create(
        registration=registration,
        from_state=from_state,
        to_state=registration.state,
        actor=actor if isinstance(actor, User) else None,
        note=note,
    )


def require_reviewer(user: User) -> None:
    if not is_reviewer(user):
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
    actor: User,
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


def registration_queue_decide(
    *, registration: Registration, actor: User, action: str, reason: str = ""
) -> Registration:
    """The queue's one decision form: on the registration itself, or on the extension its
    partner asked for."""
    if action in ("grant_extension", "refuse_extension"):
        return extension_decide(
            registration=registration,
            actor=actor,
            grant=action == "grant_extension",
            reason=reason,
        )
    return registration_decide(registration=registration, action=action, actor=actor, reason=reason)


@transaction.atomic
def registration_resubmit(
    *, registration: Registration, actor: User, answer: str, expected_version: int | None = None
) -> Registration:
    """The partner answers the reviewer's question; a live conflict sends it back to review."""
    if not actor.is_partner or actor.organization != registration.organization:
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
    """Unconverted registrations past their exclusivity period expire and free the customer.
    Only those that may have come due since the last run are read (`expiry_due`)."""
    checked_at = timezone.now()
    due = Registration.objects.select_for_update().filter(
        expiry_due(TRANSITIONS["expire"][0]),
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
    mark_run(EXPIRY_MARK, now=now, checked_at=checked_at)
    return count


def expiring(now: datetime.datetime) -> QuerySet[Registration]:
    """Registrations expiring within the warning days whose holders have not been warned
    about this expiry yet (`EXPIRY_UNWARNED`). Read by primary keys in steps, so the database
    never weighs every open deal against them: the unwarned ones off their partial index,
    which of their deals are open, then those registrations."""
    unwarned = Registration.objects.filter(
        EXPIRY_UNWARNED,
        state__in=HOLDING_STATES,
        expires_at__gt=now,
        expires_at__lte=now + datetime.timedelta(days=WARNING_DAYS),
    ).order_by()
    candidates = dict(unwarned.values_list("pk", "opportunity_id"))
    still_open = Opportunity.objects.filter(
        pk__in=set(candidates.values()), state=OpportunityState.OPEN
    )
    open_deals = set(still_open.values_list("pk", flat=True)) if candidates else set()
    due = [pk for pk, opportunity_id in candidates.items() if opportunity_id in open_deals]
    return Registration.objects.filter(pk__in=due).select_related(
        "opportunity", "organization", "submitted_by"
    )


def registrations_warn(*, now: datetime.datetime) -> int:
    """Once per registration and exclusivity period: the warned period is recorded on the row,
    so a sweep with nobody left to warn is one query (notify's cause also makes repeats no-ops)."""
    count = 0
    for registration in expiring(now):
        recipients = {u.pk: u for u in lead_recipients(registration.organization)}
        if registration.submitted_by is not None and registration.submitted_by.is_active:
            recipients[registration.submitted_by.pk] = registration.submitted_by
        for user in recipients.values():
            with (
                translation.override(user.language or None),
                timezone.override(user_zone(user.timezone)),
            ):
                notify(
                    recipient=user,
                    kind=REGISTRATION_DECISION,
                    cause=f"registration-expiry:{registration.pk}:{registration.expires_at.date()}",
                    title=_("The registration of “%(deal)s” expires on %(date)s")
                    % {
                        "deal": registration.opportunity.name,
                        "date": format_date(registration.expires_at),
                    },
                    body=_("Ask for an extension on the deal if you need more time."),
                    link=registration_link(registration),
                )
        Registration.objects.filter(pk=registration.pk).update(
            expiry_warned_for=registration.expires_at
        )
        count += 1
    return count


@transaction.atomic
def extension_request(
    *, registration: Registration, actor: User, reason: str, expected_version: int | None = None
) -> Registration:
    if not actor.is_partner or actor.organization != registration.organization:
        raise Forbidden(_("Only the registering partner can ask for an extension."))
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why you need more time."), "required")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.check_version(expected_version)
    if registration.state not in HOLDING_STATES or registration.extension_requested_at:
        raise Conflict(_("This registration cannot be extended now."), code="invalid_transition")
    registration.extension_requested_at = timezone.now()
    registration.extension_reason = reason
    registration.bump_version()
    registration.save()
    write_transition(
        registration, from_state=registration.state, actor=actor, note=f"extension: {reason}"
    )
    record_event(
        kind="registration.extension_requested",
        obj=registration,
        actor=actor,
        organization=registration.organization,
        data={"reason": reason},
    )
    return registration


@transaction.atomic
def extension_decide(
    *,
    registration: Registration,
    actor: User,
    grant: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> Registration:
    """Granted: one more exclusivity period after the end date (from now, once past it).
    Refused: the end date stays."""
    require_reviewer(actor)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.check_version(expected_version)
    if registration.extension_requested_at is None:
        raise Conflict(_("No extension was asked for."), code="invalid_transition")
    if grant:
        days = DealProgram.current().exclusivity_days
        registration.expires_at = max(registration.expires_at, timezone.now()) + datetime.timedelta(
            days=days
        )
    registration.extension_requested_at = None
    registration.bump_version()
    registration.save()
    outcome = "granted" if grant else "refused"
    transition = write_transition(
        registration,
        from_state=registration.state,
        actor=actor,
        note=f"extension {outcome}: {reason}".strip(": "),
    )
    record_event(
        kind=f"registration.extension_{outcome}",
        obj=registration,
        actor=actor,
        organization=registration.organization,
        data={"expires_at": registration.expires_at.isoformat(), "reason": reason},
    )
    title = (
        _("Extension granted for “%(deal)s”") if grant else _("Extension refused for “%(deal)s”")
    ) % {"deal": registration.opportunity.name}
    notify_partner(registration, transition, title=title)
    return registration
