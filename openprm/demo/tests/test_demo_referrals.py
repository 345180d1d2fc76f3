"""The demo's referrals: one beside every referral opportunity, inbound ones close to expiry
and expired, accepted deals at every stage, registrations approved, rejected and waiting, and
deals tagged with campaigns."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from openprm.accounts.models import User
from openprm.crm.models import Opportunity, OpportunityKind, OpportunityState
from openprm.deals.models import Registration, RegistrationKind, RegistrationState
from openprm.demo.generator import load
from openprm.referrals.models import Referral, ReferralTeamMember, Substatus
from openprm.referrals.selectors import campaign_report, referrals_for_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 5, 20)
NOW = timezone.make_aware(datetime.combine(TODAY, time(9)))


@pytest.fixture
def demo():
    load(say=lambda line: None, scale=0.3, today=TODAY)


def test_every_referral_opportunity_has_its_referral(demo):
    kinds = (OpportunityKind.CO_SELL, OpportunityKind.SOLUTION_ASSESSMENT)
    assert Opportunity.objects.filter(kind__in=kinds, referral__isnull=True).count() == 0
    assert not Referral.objects.filter(opportunity__kind=OpportunityKind.SHARED_DEAL).exists()


def test_inbound_referrals_wait_some_close_to_expiry_and_some_expired(demo):
    received = Referral.objects.filter(substatus=Substatus.RECEIVED)
    assert received.filter(expires_at__lte=NOW + timedelta(days=1), expires_at__gt=NOW).exists()
    assert received.filter(expires_at__gt=NOW + timedelta(days=3)).exists()
    assert not received.filter(expires_at__lte=NOW).exists()
    assert Referral.objects.filter(substatus=Substatus.EXPIRED).exists()
    assert Referral.objects.filter(substatus=Substatus.DECLINED).exists()


def test_accepted_deals_stand_at_every_stage(demo):
    stages = set(
        Referral.objects.filter(substatus=Substatus.ACCEPTED).values_list("stage__code", flat=True)
    )
    assert stages == {"accepted", "secure_loe", "gather_data", "prepare_report", "present"}


def test_won_deals_have_registrations_approved_rejected_and_pending(demo):
    states = set(
        Registration.objects.filter(kind=RegistrationKind.WON_REFERRAL).values_list(
            "state", flat=True
        )
    )
    assert states == {
        RegistrationState.APPROVED,
        RegistrationState.REJECTED,
        RegistrationState.SUBMITTED,
    }
    registered = Referral.objects.filter(registration__isnull=False)
    assert not registered.exclude(substatus=Substatus.WON).exists()
    assert not registered.exclude(opportunity__state=OpportunityState.WON).exists()


def test_campaigns_show_in_the_report(demo):
    admin = User.objects.get(email="admin@northwind.example")
    rows = campaign_report(user=admin)
    assert rows
    assert all(row.created >= row.won for row in rows)


def test_the_scoped_demo_user_sees_deals_of_their_own_team(demo):
    user = User.objects.get(email="user@northwind.example")
    visible = referrals_for_user(user=user)
    assert visible.exists()
    assert not visible.exclude(location__country="US").exists()
    assert ReferralTeamMember.objects.filter(user=user).exists()
