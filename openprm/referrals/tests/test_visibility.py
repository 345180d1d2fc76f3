"""D3: who sees which referral. Anything not visible is a 404, exactly like a missing one."""

import pytest

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.core.errors import NotFound
from openprm.core.testing import assert_not_found
from openprm.crm import selectors as crm_selectors
from openprm.referrals import selectors
from openprm.referrals.lifecycle.services import referral_accept
from openprm.referrals.tests.factories import create_referral, member, send_referral

pytestmark = pytest.mark.django_db


def visible(user) -> set[int]:
    return set(selectors.referrals_for_user(user=user).values_list("pk", flat=True))


def bob_as_member(bob) -> dict[str, str]:
    return member(9, first_name="Bob", last_name="Scoped", email=bob.email)


def test_a_partner_admin_sees_every_referral_of_the_organization(alice, bob, sam, northwind, tokyo):
    own = create_referral(actor=alice, location=tokyo)
    received = send_referral(actor=sam, partner=northwind, location=tokyo)
    assert visible(alice) == {own.pk, received.pk}


def test_a_global_scope_partner_user_sees_every_referral_of_the_organization(
    alice, northwind, tokyo
):
    global_user = MembershipFactory(
        organization=northwind, role=Role.PARTNER_USER, global_scope=True
    ).user
    own = create_referral(actor=alice, location=tokyo)
    assert visible(global_user) == {own.pk}


def test_a_scoped_user_on_the_team_sees_a_deal_in_scope(alice, bob, seattle):
    referral = create_referral(actor=alice, location=seattle, team=[bob_as_member(bob)])
    assert selectors.referral_get(user=bob, referral_id=referral.pk) == referral


def test_a_scoped_user_off_the_team_gets_a_404(alice, bob, seattle):
    referral = create_referral(actor=alice, location=seattle)
    with pytest.raises(NotFound):
        selectors.referral_get(user=bob, referral_id=referral.pk)


def test_a_scoped_user_on_the_team_of_a_deal_out_of_scope_gets_a_404(alice, bob, tokyo):
    referral = create_referral(actor=alice, location=tokyo, team=[bob_as_member(bob)])
    with pytest.raises(NotFound):
        selectors.referral_get(user=bob, referral_id=referral.pk)


def test_a_scoped_user_sees_received_referrals_in_scope_only(bob, sam, northwind, seattle, tokyo):
    in_scope = send_referral(actor=sam, partner=northwind, location=seattle)
    send_referral(actor=sam, partner=northwind, location=tokyo)
    assert visible(bob) == {in_scope.pk}


def test_whoever_accepts_a_received_referral_joins_its_team_and_keeps_seeing_it(
    bob, sam, northwind, seattle
):
    referral = send_referral(actor=sam, partner=northwind, location=seattle)
    referral_accept(referral=referral, actor=bob, notes="Mine")
    assert visible(bob) == {referral.pk}


def test_whoever_creates_a_deal_joins_its_team(bob, seattle):
    referral = create_referral(actor=bob, location=seattle)
    assert visible(bob) == {referral.pk}


def test_another_partner_sees_none_of_them(alice, charlie, sam, northwind):
    create_referral(actor=alice)
    send_referral(actor=sam, partner=northwind)
    assert visible(charlie) == set()


def test_a_partner_that_sent_a_referral_sees_it_pending(alice, charlie, tailspin, northwind):
    referral = send_referral(actor=charlie, partner=northwind)
    assert visible(charlie) == {referral.pk}
    assert selectors.substatus_for(referral=referral, user=charlie) == "pending"
    assert selectors.substatus_for(referral=referral, user=alice) == "received"
    assert selectors.actions_for(referral=referral, user=charlie) == []


def test_vendor_staff_see_by_role(victor, pam, alice, charlie, sam, northwind, rita):
    own = create_referral(actor=alice)
    other = create_referral(actor=charlie)
    sent = send_referral(actor=sam, partner=northwind)
    assert visible(victor) == {own.pk, other.pk, sent.pk}
    assert visible(pam) == {own.pk, sent.pk}
    assert visible(sam) == {sent.pk}
    assert visible(rita) == set()


def test_the_api_answers_404_for_an_invisible_referral(client, alice, bob, seattle):
    referral = create_referral(actor=alice, location=seattle)
    client.force_login(bob)
    invisible = client.get(f"/api/v1/referrals/{referral.pk}")
    assert_not_found(invisible, referral.opportunity.name)
    assert invisible.json() == client.get("/api/v1/referrals/999999").json()


def test_the_export_holds_only_what_the_user_sees(alice, bob, seattle, tokyo):
    from openprm.referrals.export import referrals_export
    from openprm.referrals.selectors import ReferralFilters

    create_referral(
        actor=alice, name="Seattle team deal", location=seattle, team=[bob_as_member(bob)]
    )
    create_referral(actor=alice, name="Tokyo deal", location=tokyo)
    content, _type, _name = referrals_export(user=bob, filters=ReferralFilters(), file_format="csv")
    text = b"".join(content).decode()
    assert "Seattle team deal" in text
    assert "Tokyo deal" not in text


def test_a_scoped_user_opens_only_the_referral_opportunities_it_sees(alice, bob, seattle, tokyo):
    in_scope = create_referral(actor=alice, location=seattle, team=[bob_as_member(bob)])
    out_of_scope = create_referral(actor=alice, location=tokyo)
    ids = [in_scope.opportunity_id, out_of_scope.opportunity_id]
    assert crm_selectors.openable_opportunity_ids(user=bob, opportunity_ids=ids) == {
        in_scope.opportunity_id
    }
    assert crm_selectors.openable_opportunity_ids(user=alice, opportunity_ids=ids) == set(ids)
