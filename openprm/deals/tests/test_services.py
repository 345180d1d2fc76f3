"""Creating, assigning, registering and reviewing shared deals, with time controlled."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.core.errors import Conflict, Forbidden
from openprm.core.models import Event
from openprm.core.sweep import run_sweep
from openprm.crm.models import Opportunity, OpportunityKind, OpportunityState, Source
from openprm.crm.tests.factories import (
    ContactFactory,
    CustomerFactory,
    OpportunityFactory,
    ProductFactory,
)
from openprm.deals import services
from openprm.deals.conversion import services as conversion
from openprm.deals.models import (
    AssignmentRule,
    Deal,
    DealProgram,
    PartnerLeadRecipient,
    PipelineStage,
    Registration,
    RegistrationState,
)
from openprm.deals.notes import services as notes
from openprm.deals.registrations import selectors as registration_selectors
from openprm.deals.registrations import services as registrations
from openprm.deals.registrations.transitions import TRANSITIONS
from openprm.deals.tests.factories import create_deal
from openprm.notifications.models import Notification

pytestmark = pytest.mark.django_db


def rule(name, position, reps, **match):
    created = AssignmentRule.objects.create(name=name, position=position, **match)
    created.reps.set(reps)
    return created


def rep(vendor, email):
    return MembershipFactory(organization=vendor, role=Role.SALES_REP, user__email=email).user


def test_a_shared_deal_is_a_sourced_opportunity_registered_at_once(alice, customer, product):
    deal = create_deal(actor=alice, customer=customer, products=[product])
    opportunity = Opportunity.objects.get(pk=deal.opportunity_id)
    assert opportunity.kind == OpportunityKind.SHARED_DEAL
    assert opportunity.source == Source.SOURCED
    registration = Registration.objects.get(opportunity=opportunity)
    assert registration.state == RegistrationState.SUBMITTED
    assert registration.expires_at.date() == (datetime.date.today() + datetime.timedelta(days=90))
    assert list(registration.products.all()) == [product]
    assert registration.transitions.count() == 1


def test_the_exclusivity_period_comes_from_the_program(alice, customer, product):
    program = DealProgram.current()
    program.exclusivity_days = 30
    program.save()
    deal = create_deal(actor=alice, customer=customer, products=[product])
    registration = deal.opportunity.registrations.get()
    assert registration.expires_at.date() == datetime.date.today() + datetime.timedelta(days=30)


def test_the_first_matching_rule_wins(vendor, alice, product):
    japan_rep, us_rep, catch_all = (
        rep(vendor, f"{n}@contoso.example") for n in ("jun", "ulysses", "carl")
    )
    rule("Japan", 1, [japan_rep], country="JP")
    rule("United States", 2, [us_rep], country="US")
    rule("Everything", 3, [catch_all])
    deal = create_deal(actor=alice, customer=CustomerFactory.create(country="US"))
    assert deal.assigned_rep == us_rep


def test_a_product_rule_only_matches_that_product(vendor, alice, product):
    specialist, generalist = rep(vendor, "s@contoso.example"), rep(vendor, "g@contoso.example")
    other = ProductFactory.create(code="analytics", name="Analytics")
    rule("Analytics specialists", 1, [specialist], product=other)
    rule("Everything", 2, [generalist])
    assert create_deal(actor=alice, products=[product]).assigned_rep == generalist
    assert create_deal(actor=alice, products=[other], name="Other").assigned_rep == specialist


def test_round_robin_inside_the_matching_rule(vendor, alice, product):
    first, second = rep(vendor, "a@contoso.example"), rep(vendor, "b@contoso.example")
    rule("Pool", 1, [first, second])
    assigned = [
        create_deal(actor=alice, products=[product], name=f"Deal {n}").assigned_rep
        for n in range(3)
    ]
    assert assigned == [first, second, first]


def test_the_fallback_owner_takes_unmatched_deals(vendor, alice, product):
    owner = rep(vendor, "fallback@contoso.example")
    rule("Thailand only", 1, [rep(vendor, "t@contoso.example")], country="TH")
    program = DealProgram.current()
    program.fallback_owner = owner
    program.save()
    assert create_deal(actor=alice, products=[product]).assigned_rep == owner


def test_the_rep_and_the_lead_recipients_are_notified(alice, bob, sam, sam_rule, northwind):
    PartnerLeadRecipient.objects.create(organization=northwind, user=bob)
    deal = create_deal(actor=alice)
    notified = set(
        Notification.objects.filter(kind="deal_assigned").values_list("recipient", flat=True)
    )
    assert notified == {sam.pk, bob.pk}
    assert Notification.objects.get(recipient=sam).link == f"/deals/{deal.pk}/"


def test_without_chosen_recipients_the_partner_admins_get_lead_notifications(alice, sam_rule):
    create_deal(actor=alice)
    assert Notification.objects.filter(recipient=alice, kind="deal_assigned").exists()


def test_another_partners_live_claim_sends_the_registration_to_conflict_review(
    alice, charlie, product
):
    create_deal(
        actor=alice,
        customer=CustomerFactory.create(domain="sakura.example", duns="111111111"),
        products=[product],
    )
    # A second directory entry for the same company: same domain, no DUNS.
    theirs = create_deal(
        actor=charlie,
        customer=CustomerFactory.create(domain="SAKURA.example", duns=""),
        products=[product],
        name="Tailspin at Sakura",
    )
    registration = theirs.opportunity.registrations.get()
    assert registration.state == RegistrationState.IN_REVIEW_CONFLICT


def test_a_claim_on_another_product_is_no_conflict(alice, charlie, customer, product):
    create_deal(actor=alice, customer=customer, products=[product])
    other = ProductFactory.create(code="analytics", name="Analytics")
    theirs = create_deal(actor=charlie, customer=customer, products=[other])
    assert theirs.opportunity.registrations.get().state == RegistrationState.SUBMITTED


def test_a_duplicate_by_the_same_partner_is_refused_naming_its_deal(alice, customer, product):
    create_deal(actor=alice, customer=customer, products=[product], name="Sakura rollout")
    with pytest.raises(ValidationError) as error:
        create_deal(actor=alice, customer=customer, products=[product], name="Again")
    assert "Sakura rollout" in error.value.message_dict["products"][0]
    assert Deal.objects.count() == 1
    assert Opportunity.objects.count() == 1


def test_an_unconverted_registration_expires_and_frees_the_customer(
    alice, charlie, customer, product, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), tick=False)
    ours = create_deal(actor=alice, customer=customer, products=[product])
    time_machine.move_to(datetime.datetime(2026, 4, 4, 9, 0, tzinfo=datetime.UTC), tick=False)
    assert run_sweep()["due_work"]["deals.registrations_expire"] == 0
    time_machine.move_to(datetime.datetime(2026, 4, 5, 9, 1, tzinfo=datetime.UTC), tick=False)
    assert run_sweep()["due_work"]["deals.registrations_expire"] == 1
    assert ours.opportunity.registrations.get().state == RegistrationState.EXPIRED
    theirs = create_deal(actor=charlie, customer=customer, products=[product])
    assert theirs.opportunity.registrations.get().state == RegistrationState.SUBMITTED


def test_a_won_deal_does_not_expire(alice, customer, product, sam, sam_rule):
    deal = create_deal(actor=alice, customer=customer, products=[product])
    won = PipelineStage.objects.get(outcome=OpportunityState.WON)
    services.deal_move_stage(deal=deal, actor=sam, stage=won)
    run_sweep(timezone.now() + datetime.timedelta(days=120))
    assert deal.opportunity.registrations.get().state == RegistrationState.SUBMITTED


def test_a_reviewer_approves(alice, rita, sam_rule):
    registration = create_deal(actor=alice).opportunity.registrations.get()
    registrations.registration_decide(registration=registration, action="approve", actor=rita)
    registration.refresh_from_db()
    assert registration.state == RegistrationState.APPROVED
    assert [t.to_state for t in registration.transitions.all()] == ["submitted", "approved"]
    assert Event.objects.filter(kind="registration.approved").exists()
    assert Notification.objects.filter(recipient=alice, kind="registration_decision").exists()


def test_a_rejection_needs_a_reason(alice, rita):
    registration = create_deal(actor=alice).opportunity.registrations.get()
    with pytest.raises(ValidationError):
        registrations.registration_decide(registration=registration, action="reject", actor=rita)
    registrations.registration_decide(
        registration=registration, action="reject", actor=rita, reason="Existing customer"
    )
    registration.refresh_from_db()
    assert (registration.state, registration.reason) == ("rejected", "Existing customer")


def test_the_partner_answers_a_request_for_information_and_resubmits(alice, rita):
    registration = create_deal(actor=alice).opportunity.registrations.get()
    registrations.registration_decide(
        registration=registration, action="request_info", actor=rita, reason="Who is the buyer?"
    )
    registrations.registration_resubmit(registration=registration, actor=alice, answer="The CIO")
    registration.refresh_from_db()
    assert registration.state == RegistrationState.SUBMITTED
    assert registration.partner_answer == "The CIO"
    assert [t.to_state for t in registration.transitions.all()] == [
        "submitted",
        "more_info_requested",
        "submitted",
    ]


def test_partners_and_reps_do_not_decide(alice, sam):
    registration = create_deal(actor=alice).opportunity.registrations.get()
    for actor in (alice, sam):
        with pytest.raises(Forbidden):
            registrations.registration_decide(
                registration=registration, action="approve", actor=actor
            )


def test_change_product_is_recorded_in_history(alice, product):
    deal = create_deal(actor=alice, products=[product])
    other = ProductFactory.create(code="analytics", name="Analytics")
    services.deal_change_product(deal=deal, actor=alice, product_ids=[other.pk])
    assert list(deal.opportunity.products.all()) == [other]
    event = Event.objects.get(kind="deal.product_changed")
    assert event.data == {"from": ["CRM Suite"], "to": ["Analytics"]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount_minor": 0}, "amount"),
        ({"mrr_minor": -100}, "mrr"),
        ({"name": "  "}, "name"),
    ],
)
def test_bad_key_information_saves_nothing(alice, overrides, field):
    with pytest.raises(ValidationError) as error:
        create_deal(actor=alice, **overrides)
    assert field in error.value.message_dict
    assert not Opportunity.objects.exists()
    assert not Registration.objects.exists()


def test_a_product_the_vendor_does_not_sell_is_refused(alice):
    retired = ProductFactory.create(code="legacy", name="Legacy", is_active=False)
    with pytest.raises(ValidationError) as error:
        create_deal(actor=alice, products=[retired])
    assert error.value.message_dict["products"] == ["The vendor does not sell this product."]
    assert not Opportunity.objects.exists()


def test_vendor_staff_cannot_create_shared_deals_for_a_partner(sam):
    with pytest.raises(Forbidden):
        create_deal(actor=sam)


def test_moving_to_won_closes_the_opportunity(alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    won = PipelineStage.objects.get(outcome=OpportunityState.WON)
    services.deal_move_stage(deal=deal, actor=sam, stage=won)
    opportunity = Opportunity.objects.get(pk=deal.opportunity_id)
    assert opportunity.state == OpportunityState.WON


def test_a_deal_won_before_its_expected_close_date_closes_today(alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    assert deal.close_date > timezone.localdate()
    won = PipelineStage.objects.get(outcome=OpportunityState.WON)
    services.deal_move_stage(deal=deal, actor=sam, stage=won)
    deal.refresh_from_db()
    assert deal.close_date == deal.opportunity.closed_on == timezone.localdate()


def test_a_deal_closed_after_its_expected_close_date_keeps_that_date(alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    Deal.objects.filter(pk=deal.pk).update(
        close_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    deal.refresh_from_db()
    lost = PipelineStage.objects.get(outcome=OpportunityState.LOST)
    services.deal_move_stage(deal=deal, actor=sam, stage=lost)
    deal.refresh_from_db()
    assert deal.opportunity.closed_on == timezone.localdate() - datetime.timedelta(days=3)


def test_partners_are_warned_once_fourteen_days_before_expiry(alice, time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), tick=False)
    create_deal(actor=alice)
    warnings = Notification.objects.filter(recipient=alice, title__contains="expires")
    time_machine.move_to(datetime.datetime(2026, 3, 21, 9, 0, tzinfo=datetime.UTC), tick=False)
    run_sweep()
    assert not warnings.exists()
    time_machine.move_to(datetime.datetime(2026, 3, 23, 9, 0, tzinfo=datetime.UTC), tick=False)
    run_sweep()
    run_sweep()
    assert warnings.count() == 1


def test_a_granted_extension_adds_an_exclusivity_period_to_the_end_date(alice, rita, time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), tick=False)
    registration = create_deal(actor=alice).opportunity.registrations.get()
    time_machine.move_to(datetime.datetime(2026, 3, 25, 9, 0, tzinfo=datetime.UTC), tick=False)
    registrations.extension_request(registration=registration, actor=alice, reason="Board meets")
    registrations.extension_decide(registration=registration, actor=rita, grant=True)
    registration.refresh_from_db()
    assert registration.expires_at == datetime.datetime(2026, 7, 4, 9, 0, tzinfo=datetime.UTC)
    assert registration.extension_requested_at is None
    assert Notification.objects.filter(recipient=alice, title__contains="granted").exists()
    time_machine.move_to(datetime.datetime(2026, 4, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
    run_sweep()
    registration.refresh_from_db()
    assert registration.state == RegistrationState.SUBMITTED


def test_a_refused_extension_keeps_the_end_date(alice, rita):
    registration = create_deal(actor=alice).opportunity.registrations.get()
    before = registration.expires_at
    registrations.extension_request(registration=registration, actor=alice, reason="Need time")
    registrations.extension_decide(registration=registration, actor=rita, grant=False, reason="No")
    registration.refresh_from_db()
    assert registration.expires_at == before
    assert Event.objects.filter(kind="registration.extension_refused").exists()


def test_another_partner_cannot_ask_for_an_extension(alice, charlie):
    registration = create_deal(actor=alice).opportunity.registrations.get()
    with pytest.raises(Forbidden):
        registrations.extension_request(registration=registration, actor=charlie, reason="Mine")


def test_the_active_registration_count_follows_deals_opening_closing_and_expiring(
    alice, sam, sam_rule, customer, product, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), tick=False)

    def count():
        return registration_selectors.active_registrations_count(user=alice, customer=customer)

    other = ProductFactory.create(code="analytics", name="Analytics")
    third = ProductFactory.create(code="desk", name="Service Desk")
    won = create_deal(actor=alice, customer=customer, products=[product], name="Won")
    lost = create_deal(actor=alice, customer=customer, products=[other], name="Lost")
    create_deal(actor=alice, customer=customer, products=[third], name="Left to expire")
    assert count() == 3
    services.deal_move_stage(
        deal=won, actor=sam, stage=PipelineStage.objects.get(outcome=OpportunityState.WON)
    )
    assert count() == 2
    services.deal_move_stage(
        deal=lost, actor=sam, stage=PipelineStage.objects.get(outcome=OpportunityState.LOST)
    )
    assert count() == 1
    time_machine.move_to(datetime.datetime(2026, 4, 6, 9, 0, tzinfo=datetime.UTC), tick=False)
    run_sweep()
    assert count() == 0


def test_a_contact_counts_the_registrations_of_its_own_deals(alice, northwind, customer, product):
    contact = ContactFactory.create(organization=northwind, customer=customer)
    create_deal(actor=alice, customer=customer, products=[product], contact=contact)
    create_deal(
        actor=alice,
        customer=customer,
        products=[ProductFactory.create(code="analytics", name="Analytics")],
        name="Not through the contact",
    )
    assert registration_selectors.active_registrations_count(user=alice, contact=contact) == 1
    assert registration_selectors.active_registrations_count(user=alice, customer=customer) == 2


def test_a_lost_deal_frees_the_customer_for_other_partners(
    alice, charlie, sam, sam_rule, customer, product
):
    ours = create_deal(actor=alice, customer=customer, products=[product])
    services.deal_move_stage(
        deal=ours, actor=sam, stage=PipelineStage.objects.get(outcome=OpportunityState.LOST)
    )
    theirs = create_deal(actor=charlie, customer=customer, products=[product])
    assert theirs.opportunity.registrations.get().state == RegistrationState.SUBMITTED


def test_after_a_won_deal_the_same_partner_may_register_the_customer_again(
    alice, sam, sam_rule, customer, product
):
    first = create_deal(actor=alice, customer=customer, products=[product], name="First")
    services.deal_move_stage(
        deal=first, actor=sam, stage=PipelineStage.objects.get(outcome=OpportunityState.WON)
    )
    again = create_deal(actor=alice, customer=customer, products=[product], name="Upsell")
    assert again.opportunity.registrations.get().state == RegistrationState.SUBMITTED


def test_a_shared_message_by_the_rep_notifies_the_partners_lead_recipients(
    alice, bob, sam, sam_rule, northwind
):
    PartnerLeadRecipient.objects.create(organization=northwind, user=bob)
    deal = create_deal(actor=alice)
    notes.note_create(deal=deal, actor=sam, body="Pricing approved", shared=True)
    shared = Notification.objects.filter(kind="shared_note")
    assert list(shared.values_list("recipient", flat=True)) == [bob.pk]


def test_a_comment_notifies_the_other_side_only(alice, sam, sam_rule):
    deal = create_deal(actor=alice)
    note = notes.note_create(deal=deal, actor=alice, body="Demo booked", shared=True)
    notes.comment_create(note=note, actor=sam, body="I will join")
    comments = Notification.objects.filter(kind="shared_note", title__startswith="New comment")
    assert list(comments.values_list("recipient", flat=True)) == [alice.pk]


@pytest.mark.parametrize(
    ("action", "reason", "state"),
    [
        ("approve", "", RegistrationState.APPROVED),
        ("reject", "Already our customer", RegistrationState.REJECTED),
        ("request_info", "Who signs?", RegistrationState.MORE_INFO_REQUESTED),
    ],
)
def test_every_decision_is_recorded_and_notified_to_the_partner(
    alice, bob, rita, northwind, action, reason, state
):
    PartnerLeadRecipient.objects.create(organization=northwind, user=bob)
    registration = create_deal(actor=alice).opportunity.registrations.get()
    registrations.registration_decide(
        registration=registration, action=action, actor=rita, reason=reason
    )
    transition = registration.transitions.order_by("id").reverse()[0]
    assert (transition.from_state, transition.to_state) == ("submitted", state)
    assert (transition.actor, transition.note) == (rita, reason)
    assert Event.objects.filter(kind=f"registration.{state}", actor=rita).exists()
    notified = Notification.objects.filter(kind="registration_decision")
    assert set(notified.values_list("recipient", flat=True)) == {alice.pk, bob.pk}
    assert all(n.body == reason for n in notified)


def test_an_expiry_is_recorded_and_notified(alice, time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), tick=False)
    registration = create_deal(actor=alice).opportunity.registrations.get()
    time_machine.move_to(datetime.datetime(2026, 4, 6, 9, 0, tzinfo=datetime.UTC), tick=False)
    run_sweep()
    assert registration.transitions.order_by("-id")[0].to_state == RegistrationState.EXPIRED
    assert Notification.objects.filter(recipient=alice, title__contains="Expired").exists()


def test_a_decided_registration_cannot_be_decided_again(alice, rita):
    registration = create_deal(actor=alice).opportunity.registrations.get()
    registrations.registration_decide(registration=registration, action="approve", actor=rita)
    with pytest.raises(Conflict):
        registrations.registration_decide(
            registration=registration, action="reject", actor=rita, reason="Changed my mind"
        )


def test_a_resubmission_while_another_partner_holds_the_customer_goes_back_to_conflict(
    alice, charlie, rita, customer, product
):
    create_deal(actor=alice, customer=customer, products=[product])
    theirs = create_deal(actor=charlie, customer=customer, products=[product], name="Tailspin")
    registration = theirs.opportunity.registrations.get()
    registrations.registration_decide(
        registration=registration, action="request_info", actor=rita, reason="Proof of contact?"
    )
    registrations.registration_resubmit(registration=registration, actor=charlie, answer="Email")
    registration.refresh_from_db()
    assert registration.state == RegistrationState.IN_REVIEW_CONFLICT


def test_the_conflicted_partner_is_never_told_who_holds_the_customer(
    alice, charlie, rita, customer, product
):
    create_deal(actor=alice, customer=customer, products=[product], name="Northwind deal")
    theirs = create_deal(actor=charlie, customer=customer, products=[product], name="Tailspin")
    registration = theirs.opportunity.registrations.get()
    registrations.registration_decide(
        registration=registration, action="reject", actor=rita, reason="Another partner has it"
    )
    told = Notification.objects.filter(recipient=charlie)
    assert told.exists()
    assert not any("Northwind" in n.title + n.body for n in told)


def test_a_won_stage_needs_the_mrr(vendor, alice, sam, northwind, product):
    opportunity = OpportunityFactory.create(
        organization=vendor, brought_by=vendor, mrr_minor=0, name="Vendor deal"
    )
    opportunity.products.set([product])
    deal = conversion.deal_convert(
        opportunity=opportunity,
        actor=sam,
        partner=northwind,
        owner=alice,
        welcome_note="Welcome",
        confirmed=True,
    )
    won = PipelineStage.objects.get(outcome=OpportunityState.WON)
    with pytest.raises(ValidationError) as error:
        services.deal_move_stage(deal=deal, actor=sam, stage=won)
    assert "mrr_minor" in error.value.message_dict
    assert Opportunity.objects.get(pk=opportunity.pk).state == OpportunityState.OPEN
    services.deal_update(deal=deal, actor=sam, mrr_minor=50_000)
    services.deal_move_stage(deal=deal, actor=sam, stage=won)
    assert Opportunity.objects.get(pk=opportunity.pk).state == OpportunityState.WON


def test_the_program_admin_maps_a_new_stage_to_won(alice, sam, sam_rule):
    signed = PipelineStage.objects.create(name="Contract signed", position=10, outcome="won")
    deal = create_deal(actor=alice)
    services.deal_move_stage(deal=deal, actor=sam, stage=signed)
    assert Opportunity.objects.get(pk=deal.opportunity_id).state == OpportunityState.WON


@pytest.mark.parametrize(
    ("minute", "state"),
    [(59, RegistrationState.IN_REVIEW_CONFLICT), (61, RegistrationState.SUBMITTED)],
)
def test_a_claim_holds_until_its_end_date_even_before_the_sweep(
    alice, charlie, customer, product, time_machine, minute, state
):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), tick=False)
    create_deal(actor=alice, customer=customer, products=[product])
    moment = datetime.datetime(2026, 4, 5, 8, 0, tzinfo=datetime.UTC)
    time_machine.move_to(moment + datetime.timedelta(minutes=minute), tick=False)
    theirs = create_deal(actor=charlie, customer=customer, products=[product])
    assert theirs.opportunity.registrations.get().state == state


def test_the_same_partner_registers_again_once_its_own_registration_has_expired(
    alice, customer, product, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), tick=False)
    create_deal(actor=alice, customer=customer, products=[product], name="First try")
    time_machine.move_to(datetime.datetime(2026, 2, 5, 9, 0, tzinfo=datetime.UTC), tick=False)
    with pytest.raises(ValidationError):
        create_deal(actor=alice, customer=customer, products=[product], name="Too soon")
    time_machine.move_to(datetime.datetime(2026, 4, 6, 9, 0, tzinfo=datetime.UTC), tick=False)
    run_sweep()
    again = create_deal(actor=alice, customer=customer, products=[product], name="Second try")
    assert again.opportunity.registrations.get().state == RegistrationState.SUBMITTED


@pytest.fixture
def won_and_swept(alice, customer, product, sam, sam_rule, time_machine):
    """A won deal whose registration's exclusivity ran out, and two sweeps since."""
    time_machine.move_to(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), tick=False)
    deal = create_deal(actor=alice, customer=customer, products=[product])
    won = PipelineStage.objects.get(outcome=OpportunityState.WON)
    services.deal_move_stage(deal=deal, actor=sam, stage=won)
    time_machine.move_to(datetime.datetime(2026, 5, 5, 9, 0, tzinfo=datetime.UTC), tick=False)
    run_sweep()
    time_machine.shift(datetime.timedelta(minutes=11))
    run_sweep()
    return deal


def test_an_idle_expiry_run_reads_no_registration_of_a_closed_deal(won_and_swept):
    due = registration_selectors.expiry_due(TRANSITIONS["expire"][0])
    assert not Registration.objects.filter(due).exists()


def test_a_deal_reopened_after_its_exclusivity_ran_out_expires_at_the_next_sweep(won_and_swept):
    opportunity = won_and_swept.opportunity
    opportunity.state = OpportunityState.OPEN
    opportunity.save()
    assert run_sweep()["due_work"]["deals.registrations_expire"] == 1
    assert opportunity.registrations.get().state == RegistrationState.EXPIRED
