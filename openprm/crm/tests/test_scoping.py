"""The commercial records each partner may read: its own opportunities and certifications, and
the subscriptions it manages; never another partner's."""

import pytest

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.crm.models import Certification, Opportunity, Subscription
from openprm.crm.tests.factories import (
    CertificationFactory,
    OpportunityFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def external_ids(queryset) -> list[str]:
    return sorted(queryset.values_list("external_id", flat=True))


@pytest.fixture
def subscriptions(northwind, tailspin):
    SubscriptionFactory.create(external_id="NW", managing_partners=[northwind])
    SubscriptionFactory.create(external_id="TS", managing_partners=[tailspin])
    SubscriptionFactory.create(external_id="BOTH", managing_partners=[northwind, tailspin])
    SubscriptionFactory.create(external_id="NOBODY")


def test_a_partner_sees_the_subscriptions_it_manages_once_each(alice, charlie, subscriptions):
    assert external_ids(Subscription.objects.for_user(alice)) == ["BOTH", "NW"]
    assert external_ids(Subscription.objects.for_user(charlie)) == ["BOTH", "TS"]


def test_the_program_admin_sees_every_subscription(victor, subscriptions):
    assert external_ids(Subscription.objects.for_user(victor)) == ["BOTH", "NOBODY", "NW", "TS"]


def test_a_pdm_sees_the_subscriptions_their_partners_manage_once_each(pam, subscriptions):
    assert external_ids(Subscription.objects.for_user(pam)) == ["BOTH", "NW"]


@pytest.mark.parametrize("role", [Role.SALES_REP, Role.REVIEWER])
def test_sales_reps_and_reviewers_see_no_subscription(vendor, role, subscriptions):
    user = MembershipFactory(organization=vendor, role=role).user
    assert not Subscription.objects.for_user(user).exists()


def test_anonymous_sees_no_subscription(subscriptions):
    from django.contrib.auth.models import AnonymousUser

    assert not Subscription.objects.for_user(AnonymousUser()).exists()


def test_a_partner_sees_only_its_own_opportunities(alice, charlie, northwind, tailspin):
    ours = OpportunityFactory.create(organization=northwind)
    theirs = OpportunityFactory.create(organization=tailspin)
    assert list(Opportunity.objects.for_user(alice)) == [ours]
    assert list(Opportunity.objects.for_user(charlie)) == [theirs]


def test_a_pdm_sees_the_opportunities_of_the_partners_assigned_to_them(pam, northwind, tailspin):
    ours = OpportunityFactory.create(organization=northwind)
    OpportunityFactory.create(organization=tailspin)
    assert list(Opportunity.objects.for_user(pam)) == [ours]


def test_a_partner_sees_only_its_own_certifications(alice, northwind, tailspin):
    ours = CertificationFactory.create(organization=northwind)
    CertificationFactory.create(organization=tailspin)
    assert list(Certification.objects.for_user(alice)) == [ours]
