"""Referral writes: send, the wizard, accept, decline, edit, team, close."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from openprm.core.errors import Conflict, Forbidden
from openprm.core.models import Event
from openprm.crm.models import OpportunityKind, OpportunityState, Source
from openprm.notifications.models import Notification
from openprm.referrals.checks import Contact
from openprm.referrals.lifecycle.services import (
    referral_accept,
    referral_close,
    referral_decline,
    referral_update,
)
from openprm.referrals.models import Direction, Referral, Substatus
from openprm.referrals.tests.factories import create_referral, member, send_referral

pytestmark = pytest.mark.django_db


def field_names(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.error_dict)


def test_a_sent_referral_arrives_received_with_its_expiry_and_is_assisted(
    sam, northwind, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = send_referral(actor=sam, partner=northwind)
    assert referral.substatus == Substatus.RECEIVED
    assert referral.direction == Direction.INBOUND
    assert referral.opportunity.source == Source.ASSISTED
    assert referral.opportunity.kind == OpportunityKind.CO_SELL
    assert referral.expires_at is not None
    assert referral.expires_at - referral.created_at == pytest.approx(
        datetime.timedelta(days=14), abs=datetime.timedelta(seconds=5)
    )
    assert Notification.objects.filter(recipient=alice, kind="referral_received").exists()


def test_a_created_deal_lands_accepted_on_outbound_and_is_sourced(alice):
    referral = create_referral(actor=alice)
    assert referral.substatus == Substatus.ACCEPTED
    assert referral.direction == Direction.OUTBOUND
    assert referral.opportunity.source == Source.SOURCED
    assert referral.stage is not None
    assert referral.stage.code == "accepted"
    assert set(referral.team_members.values_list("email", flat=True)) == {
        "member1@northwind.example",
        "alice@northwind.example",
    }
    assert Event.objects.filter(kind="referral.created", object_id=str(referral.pk)).exists()


def test_accepting_moves_to_accepted_and_the_accepter_joins_the_team(sam, northwind, alice):
    referral = send_referral(actor=sam, partner=northwind)
    accepted = referral_accept(
        referral=referral, actor=alice, notes="Called the CIO.", name="Sakura CRM"
    )
    assert accepted.substatus == Substatus.ACCEPTED
    assert accepted.opportunity.name == "Sakura CRM"
    assert accepted.team_members.filter(user=alice).exists()
    assert accepted.transitions.latest("created_at", "id").action == "accept"


def test_declining_archives_and_notifies_the_sender(
    sam, northwind, alice, django_capture_on_commit_callbacks
):
    referral = send_referral(actor=sam, partner=northwind)
    with django_capture_on_commit_callbacks(execute=True):
        declined = referral_decline(
            referral=referral, actor=alice, reason="no_capacity", message="Fully booked"
        )
    assert declined.substatus == Substatus.DECLINED
    assert Notification.objects.filter(recipient=sam, kind="referral_answered").exists()


def test_a_declined_referral_leaves_the_pipeline_as_a_lost_opportunity(sam, northwind, alice):
    referral = send_referral(actor=sam, partner=northwind)
    referral_decline(referral=referral, actor=alice, reason="not_a_fit")
    referral.opportunity.refresh_from_db()
    assert referral.opportunity.state == OpportunityState.LOST
    assert referral.opportunity.closed_on == datetime.date.today()


def test_closing_won_closes_the_opportunity(alice):
    referral = create_referral(actor=alice)
    won = referral_close(referral=referral, actor=alice, outcome="won", mrr_minor=100_000)
    won.opportunity.refresh_from_db()
    assert won.substatus == Substatus.WON
    assert won.opportunity.state == OpportunityState.WON
    assert won.opportunity.closed_on == datetime.date.today()


def test_lost_needs_a_reason(alice):
    referral = create_referral(actor=alice)
    with pytest.raises(ValidationError) as exc:
        referral_close(referral=referral, actor=alice, outcome="lost")
    assert field_names(exc) == {"lost_reason"}


def test_nothing_changes_on_a_closed_referral(alice):
    referral = create_referral(actor=alice)
    referral_close(referral=referral, actor=alice, outcome="lost", lost_reason="price")
    with pytest.raises(Conflict):
        referral_update(referral=referral, actor=alice, name="Again")
    assert Referral.objects.get(pk=referral.pk).opportunity.name == "Sakura assessment"


def test_the_sending_side_cannot_accept(sam, northwind):
    referral = send_referral(actor=sam, partner=northwind)
    with pytest.raises(Forbidden):
        referral_accept(referral=referral, actor=sam, notes="Mine now")


def test_a_solution_assessment_needs_its_contact_and_consent(alice):
    with pytest.raises(ValidationError) as exc:
        create_referral(
            actor=alice, kind=OpportunityKind.SOLUTION_ASSESSMENT, contact=Contact(), consent=False
        )
    assert {"contact_name", "contact_phone", "contact_email"} <= field_names(exc)
    assert not Referral.objects.exists()


def test_an_incomplete_team_member_is_named(alice):
    with pytest.raises(ValidationError) as exc:
        create_referral(actor=alice, team=[member(1, phone="")])
    assert field_names(exc) == {"team.0.phone"}


def test_a_partner_cannot_send_a_referral_to_itself(alice, northwind):
    with pytest.raises(ValidationError) as exc:
        send_referral(actor=alice, partner=northwind)
    assert field_names(exc) == {"partner"}


def test_a_pdm_does_not_send_referrals(pam, northwind):
    with pytest.raises(Forbidden):
        send_referral(actor=pam, partner=northwind)


def test_a_sent_referral_needs_its_value_notes_and_name(sam, northwind):
    with pytest.raises(ValidationError) as exc:
        send_referral(actor=sam, partner=northwind, name="", notes=" ", amount_minor=0)
    assert field_names(exc) == {"name", "notes", "value"}
    assert not Referral.objects.exists()


def test_only_users_whose_scope_covers_a_received_referral_are_told(
    sam, northwind, alice, bob, tokyo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_referral(actor=sam, partner=northwind, location=tokyo)
    told = set(Notification.objects.values_list("recipient__email", flat=True))
    assert told == {alice.email}


def test_giving_a_contact_records_who_consented_and_when(alice):
    referral = create_referral(actor=alice)
    assert referral.consent_recorded_by == alice
    assert referral.has_consent


def test_a_co_sell_deal_needs_its_contact_when_vendor_help_is_requested(alice):
    with pytest.raises(ValidationError) as exc:
        create_referral(actor=alice, contact=Contact(), consent=False, vendor_help_requested=True)
    assert field_names(exc) == {"contact_name", "contact_phone", "contact_email"}


def test_a_co_sell_deal_without_vendor_help_may_leave_the_contact_out(alice):
    referral = create_referral(actor=alice, contact=Contact(), consent=False)
    assert referral.contact_name == ""
    assert not referral.has_consent


def test_editing_an_accepted_deal_changes_its_opportunity_too(alice):
    referral = create_referral(actor=alice)
    updated = referral_update(
        referral=referral, actor=alice, name="Renamed", amount_minor=7_000_00, crm_id="SF-1"
    )
    updated.opportunity.refresh_from_db()
    assert (updated.opportunity.name, updated.opportunity.amount_minor) == ("Renamed", 700_000)
    assert updated.crm_id == "SF-1"
