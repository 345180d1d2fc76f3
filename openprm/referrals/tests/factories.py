"""Referrals built through the services, as a vendor rep or a partner would make them."""

import datetime
from typing import Any

from django.utils import timezone

from openprm.accounts.models import Organization, User
from openprm.crm.models import Customer, OpportunityKind
from openprm.crm.tests.factories import CustomerFactory
from openprm.referrals.checks import Contact
from openprm.referrals.creation.services import Details, referral_create
from openprm.referrals.models import AssessmentVetting, Referral, SolutionType
from openprm.referrals.sending.services import referral_send


def member(n: int = 1, **overrides: str) -> dict[str, str]:
    row = {
        "first_name": f"Member{n}",
        "last_name": "Tanaka",
        "phone": f"+81 3 1234 56{n:02d}",
        "email": f"member{n}@northwind.example",
    }
    row.update(overrides)
    return row


def vet(organization: Organization) -> AssessmentVetting:
    return AssessmentVetting.objects.get_or_create(
        organization=organization, defaults={"vetted_on": timezone.localdate()}
    )[0]


def solution(*, eligible: bool = True) -> SolutionType:
    """One of the solution types the data migration loads."""
    return SolutionType.objects.filter(registration_eligible=eligible, is_active=True)[0]


def details(actor: User, **overrides: Any) -> Details:
    organization = actor.organization
    assert organization is not None
    data: dict[str, Any] = {
        "name": "Sakura assessment",
        "location": organization.locations.order_by("name").first(),
        "amount_minor": 5_000_000,
        "currency": "USD",
        "estimated_close_date": datetime.date.today() + datetime.timedelta(days=45),
        "notes": "The customer plans a cloud migration.",
        "crm_id": "",
        "campaign_id": "",
    }
    data.update(overrides)
    return Details(**data)


def create_referral(
    *,
    actor: User,
    kind: str = OpportunityKind.CO_SELL,
    customer: Customer | None = None,
    team: list[dict[str, str]] | None = None,
    **overrides: Any,
) -> Referral:
    """A deal made with the "New deal" wizard; solution assessments for a vetted partner."""
    is_assessment = kind == OpportunityKind.SOLUTION_ASSESSMENT
    organization = actor.organization
    assert organization is not None
    if is_assessment:
        vet(organization)
    data: dict[str, Any] = {
        "contact": Contact("Yui Sato", "+81 3 0000 0000", "yui@sakura.example"),
        "consent": True,
        "agreed": True,
    }
    if is_assessment:
        data["solution_type_ids"] = [solution(eligible=True).pk]
        data["assessment_location"] = organization.locations.order_by("name").first()
    detail_fields = set(Details.__dataclass_fields__)
    data["details"] = details(actor, **{k: v for k, v in overrides.items() if k in detail_fields})
    data.update({k: v for k, v in overrides.items() if k not in detail_fields})
    return referral_create(
        actor=actor,
        kind=kind,
        customer=customer or CustomerFactory.create(),
        team=team if team is not None else [member(1)],
        **data,
    )


def send_referral(
    *, actor: User, partner: Organization, customer: Customer | None = None, **overrides: Any
) -> Referral:
    """A referral sent to `partner`: Received on its Inbound tab."""
    data: dict[str, Any] = {
        "name": "Contoso lead: Sakura Foods",
        "amount_minor": 2_400_000,
        "currency": "USD",
        "notes": "They asked for a local partner.",
    }
    data.update(overrides)
    return referral_send(
        actor=actor, partner=partner, customer=customer or CustomerFactory.create(), **data
    )
