"""Creating a deal (D2), from the "New deal" wizard or the API: a partner's own, sourced deal,
Accepted on its Outbound tab, with its team and, for a solution assessment, its solution.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Location, Organization, User
from openprm.core.checks import FieldErrors, positive_amount, required_date, required_text
from openprm.core.errors import Forbidden, field_error
from openprm.crm.models import Currency, Customer, OpportunityKind
from openprm.crm.services import directory_customer_add, opportunity_create
from openprm.referrals.checks import (
    Contact,
    checked_contact,
    chosen_customer,
    external_ids,
    known,
    partner_location,
)
from openprm.referrals.lifecycle.moves import perform
from openprm.referrals.models import ACCEPTED, Direction, Referral, SolutionType
from openprm.referrals.selectors import can_create, is_vetted
from openprm.referrals.stages.selectors import stage_by_code
from openprm.referrals.stages.services import mark_up_to
from openprm.referrals.team.services import add_team, checked_team, join_team

REFERRAL_KINDS = (OpportunityKind.CO_SELL, OpportunityKind.SOLUTION_ASSESSMENT)


def referral_kind(kind: str) -> str:
    if kind not in REFERRAL_KINDS:
        raise field_error("kind", _("Choose co-sell or solution assessment."), "invalid_choice")
    return kind


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
    vendor_crm_id: str = ""

    def external_ids(self) -> dict[str, str]:
        return {"crm_id": self.crm_id, "vendor_crm_id": self.vendor_crm_id}


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
    scope: list[str] | None,
) -> NewDeal:
    """Every bad field at once, each named as the wizard's steps and the API name it. The deal's
    location is in its creator's location `scope`: they would never see it otherwise (D3)."""
    is_assessment = kind == OpportunityKind.SOLUTION_ASSESSMENT
    needs_contact = is_assessment or vendor_help_requested
    errors = FieldErrors()
    deal = NewDeal(
        kind=errors.check(referral_kind, kind),
        name=errors.check(required_text, "name", details.name),
        location=errors.check(
            partner_location, organization, details.location, field="location", countries=scope
        ),
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
    external_ids(Referral(organization=organization), details.external_ids(), errors)
    errors.raise_any()
    return deal


def directory_entry_added(actor: User, new_customer: dict[str, Any]) -> Customer:
    """The customer the directory lacked, added; its errors name new_customer's fields."""
    try:
        with transaction.atomic():
            return directory_customer_add(actor=actor, **new_customer)
    except ValidationError as exc:
        raise ValidationError(
            {f"new_customer.{field}": errors for field, errors in exc.error_dict.items()}
        ) from None


def new_referral(
    organization: Organization,
    deal: NewDeal,
    details: Details,
    *,
    actor: User,
    specialist_memo: str,
    vendor_help_requested: bool,
) -> Referral:
    """The deal's opportunity row, written, and its referral row, to be written by its move."""
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
    return Referral(
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
        vendor_crm_id=(details.vendor_crm_id or "").strip(),
        campaign_id=(details.campaign_id or "").strip(),
        notes=deal.notes,
    )


@transaction.atomic
def referral_create(
    *,
    actor: User,
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
    organization = actor.organization
    if organization is None or not can_create(actor):
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
        scope=actor.scope_countries,
    )
    referral = new_referral(
        organization,
        deal,
        details,
        actor=actor,
        specialist_memo=specialist_memo,
        vendor_help_requested=vendor_help_requested,
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
