"""The transition table, every allowed and refused move; the expiry boundary."""

import datetime
from typing import Any

import pytest
import time_machine

from openprm.core.errors import Conflict
from openprm.core.models import Event
from openprm.referrals.lifecycle.services import referral_accept, referral_close, referral_decline
from openprm.referrals.models import Referral, ReferralTransition, Substatus
from openprm.referrals.stages.services import referral_mark_stage
from openprm.referrals.tests.factories import send_referral
from openprm.referrals.tests.states import ACTIONS, MARKABLE, in_substatus
from openprm.referrals.transitions import NEW, TRANSITIONS, allowed_actions, target_substatus

pytestmark = pytest.mark.django_db

S = Substatus
# The whole table as the product promises it: (action, from) -> to; anything absent is refused.
EXPECTED = {
    ("send", NEW): S.RECEIVED,
    ("create", NEW): S.ACCEPTED,
    ("accept", S.RECEIVED): S.ACCEPTED,
    ("decline", S.RECEIVED): S.DECLINED,
    ("expire", S.RECEIVED): S.EXPIRED,
    ("update", S.ACCEPTED): S.ACCEPTED,
    ("team", S.ACCEPTED): S.ACCEPTED,
    ("stages", S.ACCEPTED): S.ACCEPTED,
    ("close_won", S.ACCEPTED): S.WON,
    ("close_lost", S.ACCEPTED): S.LOST,
    ("registration", S.WON): S.WON,
}
# Pending is how the sender sees a Received referral; it is never stored.
STORED = [s for s in Substatus if s != S.PENDING]


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("substatus", [NEW, *Substatus])
def test_the_table_allows_exactly_the_listed_moves(action, substatus):
    assert target_substatus(action, substatus) == EXPECTED.get((action, substatus))


@pytest.mark.parametrize(
    ("substatus", "actions"),
    [
        (S.RECEIVED, ["accept", "decline"]),
        (S.ACCEPTED, ["update", "team", "stages", "close"]),
        (S.WON, ["registration"]),
        (S.LOST, []),
        (S.DECLINED, []),
        (S.EXPIRED, []),
    ],
)
def test_the_allowed_actions_are_listed_in_the_apis_names(substatus, actions):
    assert allowed_actions(substatus) == actions


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("substatus", STORED)
def test_each_service_moves_or_refuses_as_the_table_says(alice, sam, action, substatus):
    referral = in_substatus(substatus, partner_admin=alice, sender=sam)
    before = ReferralTransition.objects.filter(referral=referral).count()
    expected = EXPECTED.get((action, substatus))
    if expected is None:
        with pytest.raises(Conflict) as refused:
            ACTIONS[action](referral, alice)
        assert refused.value.code in ("invalid_transition",)
        assert Referral.objects.get(pk=referral.pk).version == referral.version
        assert ReferralTransition.objects.filter(referral=referral).count() == before
    else:
        ACTIONS[action](referral, alice)
        moved = Referral.objects.get(pk=referral.pk)
        assert moved.substatus == expected
        last = moved.transitions.latest("created_at", "id")
        assert (last.action, last.from_substatus, last.to_substatus) == (
            action,
            substatus,
            expected,
        )
        assert last.actor == alice


def test_sending_and_creating_are_moves_of_the_table_with_their_row_and_event(
    alice, sam, northwind
):
    sent = send_referral(actor=sam, partner=northwind)
    created = in_substatus(S.ACCEPTED, partner_admin=alice, sender=alice)
    for referral, action, kind, to in (
        (sent, "send", "referral.sent", S.RECEIVED),
        (created, "create", "referral.created", S.ACCEPTED),
    ):
        first = referral.transitions.get()
        assert (first.action, first.from_substatus, first.to_substatus) == (action, NEW, to)
        event = Event.objects.get(kind=kind, object_id=str(referral.pk))
        assert (event.data["from"], event.data["to"]) == (NEW, to)


def test_a_refusal_lists_the_allowed_actions(alice):
    referral = in_substatus(S.ACCEPTED, partner_admin=alice, sender=alice)
    with pytest.raises(Conflict) as refused:
        referral_accept(referral=referral, actor=alice, notes="Again")
    assert "update, team, stages, close" in refused.value.message


def test_a_received_referral_can_be_accepted_13_days_23_hours_after_it_was_sent(
    sam, northwind, alice
):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        referral = send_referral(actor=sam, partner=northwind)
    with time_machine.travel(
        datetime.datetime(2026, 12, 15, 8, 0, tzinfo=datetime.UTC), tick=False
    ):
        accepted = referral_accept(referral=referral, actor=alice, notes="Just in time")
    assert accepted.substatus == S.ACCEPTED


def test_past_its_expiry_a_referral_can_never_be_accepted_even_before_the_sweep(
    sam, northwind, alice
):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        referral = send_referral(actor=sam, partner=northwind)
    with time_machine.travel(
        datetime.datetime(2026, 12, 15, 9, 0, tzinfo=datetime.UTC), tick=False
    ):
        with pytest.raises(Conflict):
            referral_accept(referral=referral, actor=alice, notes="Too late")
        with pytest.raises(Conflict):
            referral_decline(referral=referral, actor=alice, reason="other")
    assert Referral.objects.get(pk=referral.pk).substatus == S.RECEIVED


def test_the_response_time_is_program_configuration(sam, northwind):
    from openprm.referrals.models import ReferralProgram

    program = ReferralProgram.current()
    program.response_days = 3
    program.save()
    referral = send_referral(actor=sam, partner=northwind)
    assert referral.expires_at is not None
    assert referral.expires_at.date() == (referral.created_at + datetime.timedelta(days=3)).date()


def test_marking_a_stage_marks_every_stage_below_it(alice):
    referral = in_substatus(S.ACCEPTED, partner_admin=alice, sender=alice)
    referral_mark_stage(referral=referral, actor=alice, stage="prepare_report")
    marked = list(referral.stage_marks.values_list("stage__code", flat=True))
    assert marked == ["created", "accepted", "secure_loe", "gather_data", "prepare_report"]


def test_stages_never_move_backwards(alice):
    referral = in_substatus(S.ACCEPTED, partner_admin=alice, sender=alice)
    referral_mark_stage(referral=referral, actor=alice, stage="present")
    again = referral_mark_stage(referral=referral, actor=alice, stage="secure_loe")
    assert again.stage is not None
    assert again.stage.code == "present"
    assert referral.stage_marks.count() == 6


def test_won_happens_only_by_closing(alice):
    from django.core.exceptions import ValidationError

    referral = in_substatus(S.ACCEPTED, partner_admin=alice, sender=alice)
    with pytest.raises(ValidationError) as refused:
        referral_mark_stage(referral=referral, actor=alice, stage="won")
    assert "stage" in refused.value.error_dict


def test_a_solution_assessment_is_won_only_with_every_stage_complete(alice):
    from django.core.exceptions import ValidationError

    referral = in_substatus(S.ACCEPTED, partner_admin=alice, sender=alice)
    referral_mark_stage(referral=referral, actor=alice, stage="gather_data")
    with pytest.raises(ValidationError) as refused:
        referral_close(referral=referral, actor=alice, outcome="won", mrr_minor=10)
    message = refused.value.error_dict["stage"][0].message
    assert "Prepare assessment report" in message
    assert "Present to customer" in message
    assert Referral.objects.get(pk=referral.pk).substatus == S.ACCEPTED


def test_a_co_sell_deal_may_be_won_without_marking_stages(sam, northwind, alice):
    referral = send_referral(actor=sam, partner=northwind)
    referral_accept(referral=referral, actor=alice, notes="On it")
    won = referral_close(referral=referral, actor=alice, outcome="won", mrr_minor=10)
    assert won.substatus == S.WON
    assert won.stage is not None
    assert won.stage.code == "won"
    assert set(MARKABLE) <= set(won.stage_marks.values_list("stage__code", flat=True))


def test_past_its_expiry_a_referral_lists_as_expired_on_the_closed_tab_before_the_sweep(
    sam, northwind, alice
):
    from openprm.referrals.selectors import ReferralFilters, referrals_for_user, substatus_for

    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        referral = send_referral(actor=sam, partner=northwind)
    with time_machine.travel(
        datetime.datetime(2026, 12, 15, 9, 0, tzinfo=datetime.UTC), tick=False
    ):

        def listed(**filters: Any) -> list[int]:
            found = referrals_for_user(user=alice, filters=ReferralFilters(**filters))
            return [r.pk for r in found]

        assert listed(tab="inbound") == []
        assert listed(tab="closed") == [referral.pk]
        assert listed(substatus="expired") == [referral.pk]
        assert listed(substatus="received") == []
        assert listed(status="closed") == [referral.pk]
        assert substatus_for(referral=referral, user=alice) == "expired"
