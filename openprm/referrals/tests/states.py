"""Referrals put into each substatus through the services, for table-driven tests."""

import datetime
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile

from openprm.accounts.models import Organization, User
from openprm.crm.models import OpportunityKind
from openprm.referrals.lifecycle.services import (
    referral_accept,
    referral_close,
    referral_decline,
    referral_update,
    referrals_expire,
)
from openprm.referrals.models import Referral, Substatus
from openprm.referrals.registration.services import referral_register
from openprm.referrals.stages.services import referral_mark_stage
from openprm.referrals.team.services import referral_team_add
from openprm.referrals.tests.factories import create_referral, member, send_referral

PDF = b"%PDF-1.7\n" + b"0" * 100
MARKABLE = ("secure_loe", "gather_data", "prepare_report", "present")


def proof() -> SimpleUploadedFile:
    return SimpleUploadedFile("po.pdf", PDF, content_type="application/pdf")


def in_substatus(substatus: str, *, partner_admin: User, sender: User) -> Referral:
    """A referral of `partner_admin`'s organization in `substatus` (an eligible solution
    assessment once won, so that it can be registered)."""
    organization = partner_admin.organization
    assert isinstance(organization, Organization)
    if substatus in (Substatus.RECEIVED, Substatus.DECLINED, Substatus.EXPIRED):
        referral = send_referral(actor=sender, partner=organization)
        if substatus == Substatus.DECLINED:
            referral_decline(referral=referral, actor=partner_admin, reason="other")
        if substatus == Substatus.EXPIRED:
            Referral.objects.filter(pk=referral.pk).update(expires_at=referral.created_at)
            referrals_expire(now=referral.created_at)
        return Referral.objects.get(pk=referral.pk)
    referral = create_referral(actor=partner_admin, kind=OpportunityKind.SOLUTION_ASSESSMENT)
    if substatus == Substatus.WON:
        referral_mark_stage(referral=referral, actor=partner_admin, stage="present")
        referral_close(referral=referral, actor=partner_admin, outcome="won", mrr_minor=100_000)
    elif substatus == Substatus.LOST:
        referral_close(referral=referral, actor=partner_admin, outcome="lost", lost_reason="price")
    return Referral.objects.get(pk=referral.pk)


def win(referral: Referral, user: User) -> Referral:
    """Close as won; an accepted solution assessment has its stages marked first."""
    if referral.substatus == Substatus.ACCEPTED:
        referral_mark_stage(referral=referral, actor=user, stage="present")
    return referral_close(referral=referral, actor=user, outcome="won", mrr_minor=50_000)


# action -> what a person does, through the service
ACTIONS: dict[str, Callable[[Referral, User], object]] = {
    "accept": lambda r, u: referral_accept(referral=r, actor=u, notes="Called them."),
    "decline": lambda r, u: referral_decline(referral=r, actor=u, reason="not_a_fit"),
    "update": lambda r, u: referral_update(referral=r, actor=u, notes="Update"),
    "team": lambda r, u: referral_team_add(referral=r, actor=u, members=[member(7)]),
    "stages": lambda r, u: referral_mark_stage(referral=r, actor=u, stage="gather_data"),
    "close_won": lambda r, u: win(r, u),
    "close_lost": lambda r, u: referral_close(
        referral=r, actor=u, outcome="lost", lost_reason="timing"
    ),
    "registration": lambda r, u: referral_register(
        referral=r,
        actor=u,
        won_value_minor=4_000_000,
        closed_on=datetime.date.today(),
        account_ids="sub-123",
        proof=proof(),
    ),
}
