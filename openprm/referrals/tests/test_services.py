"""Referral writes: send, the wizard, accept, decline, edit, team, close."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from openprm.core.errors import Conflict, Forbidden
from openprm.core.models import Event
from openprm.crm.models import OpportunityKind, OpportunityState, Source
from openprm.notifications.models import Notification
from openprm.referrals import services
from openprm.referrals.models import Direction, Referral, Substatus
from openprm.referrals.services import Contact
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
    accepted = services.referral_accept(
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
        declined = services.referral_decline(
            referral=referral, actor=alice, reason="no_capacity", message="Fully booked"
        )
    assert declined.substatus == Substatus.DECLINED
    assert Notification.objects.filter(recipient=sam, kind="referral_answered").exists()


def test_a_declined_referral_leaves_the_pipeline_as_a_lost_opportunity(sam, northwind, alice):
    referral = send_referral(actor=sam, partner=northwind)
    services.referral_decline(referral=referral, actor=alice, reason="not_a_fit")
    referral.opportunity.refresh_from_db()
    assert referral.opportunity.state == OpportunityState.LOST
    assert referral.opportunity.closed_on == datetime.date.today()


def test_closing_won_closes_the_opportunity(alice):
    referral = create_referral(actor=alice)
    won = services.referral_close(referral=referral, actor=alice, outcome="won", mrr_minor=100_000)
    won.opportunity.refresh_from_db()
    assert won.substatus == Substatus.WON
    assert won.opportunity.state == OpportunityState.WON
    assert won.opportunity.closed_on == datetime.date.today()


def test_lost_needs_a_reason(alice):
    referral = create_referral(actor=alice)
    with pytest.raises(ValidationError) as exc:
        services.referral_close(referral=referral, actor=alice, outcome="lost")
    assert field_names(exc) == {"lost_reason"}


def test_nothing_changes_on_a_closed_referral(alice):
    referral = create_referral(actor=alice)
    services.referral_close(referral=referral, actor=alice, outcome="lost", lost_reason="price")
    with pytest.raises(Conflict):
        services.referral_update(referral=referral, actor=alice, name="Again")
    assert Referral.objects.get(pk=referral.pk).opportunity.name == "Sakura assessment"


def test_the_sending_side_cannot_accept(sam, northwind):
    referral = send_referral(actor=sam, partner=northwind)
    with pytest.raises(Forbidden):
        services.referral_accept(referral=referral, actor=sam, notes="Mine now")


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
