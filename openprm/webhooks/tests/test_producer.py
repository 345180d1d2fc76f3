"""Deliveries made from domain events: in the same transaction, for whom, and what they say."""

import datetime as dt
import json

import pytest
from django.db import transaction

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.deals import services as deal_services
from openprm.deals.models import PipelineStage
from openprm.deals.notes import services as notes
from openprm.deals.registrations import services as registrations
from openprm.deals.tests.factories import create_deal
from openprm.goals.tasks.reminders import send_reminder
from openprm.goals.tests.factories import GoalPlanFactory, action_task
from openprm.points.tests.factories import certify, manage, sell
from openprm.points.tiers import services as tier_services
from openprm.referrals.checks import Contact
from openprm.referrals.lifecycle import services as referral_services
from openprm.referrals.tests.factories import create_referral, send_referral
from openprm.webhooks import services
from openprm.webhooks.models import Delivery, EventType
from openprm.webhooks.tests.conftest import subscribe

pytestmark = pytest.mark.django_db

URL = "https://hooks.example.com/openprm"
ALL = EventType.values


def bodies(webhook=None) -> list[dict]:
    deliveries = Delivery.objects.order_by("event_id")
    if webhook is not None:
        deliveries = deliveries.filter(webhook=webhook)
    return [json.loads(delivery.body) for delivery in deliveries]


def types(webhook=None) -> list[str]:
    return [body["type"] for body in bodies(webhook)]


@pytest.fixture
def sam(vendor):
    return MembershipFactory.create(organization=vendor, role=Role.SALES_REP).user


@pytest.fixture
def rita(vendor):
    return MembershipFactory.create(organization=vendor, role=Role.REVIEWER).user


def test_a_delivery_is_written_with_its_event_and_rolled_back_with_it(alice):
    subscribe(alice, URL, *ALL)

    def fails_after_the_event() -> None:
        with transaction.atomic():
            create_deal(actor=alice)
            assert Delivery.objects.count() == 1
            raise RuntimeError("the service's transaction fails after the event")

    with pytest.raises(RuntimeError):
        fails_after_the_event()

    assert not Delivery.objects.exists()
    create_deal(actor=alice)
    [delivery] = Delivery.objects.all()
    assert delivery.event.kind == "deal.created"


def test_the_body_names_the_event_and_the_object(alice):
    subscribe(alice, URL, "deal.created")
    deal = create_deal(actor=alice, name="Sakura rollout")

    [body] = bodies()
    event = Event.objects.get(kind="deal.created")
    assert body["id"] == event.pk
    assert body["type"] == "deal.created"
    assert body["occurred_at"].endswith("Z")
    assert dt.datetime.fromisoformat(body["occurred_at"]) == event.created_at
    assert body["organization_id"] == alice.organization.pk
    assert body["object"]["type"] == "deal"
    assert body["object"]["id"] == deal.pk
    assert body["object"]["name"] == "Sakura rollout"
    assert (body["object"]["amount"], body["object"]["currency"]) == ("12000.00", "USD")
    assert body["object"]["products"] == ["crm-suite"]


def test_a_partners_webhook_gets_only_its_own_organizations_events(alice, charlie):
    northwind_hook, _ = subscribe(alice, URL, *ALL)
    tailspin_hook, _ = subscribe(charlie, URL, *ALL)

    create_deal(actor=alice)

    assert types(northwind_hook) == ["deal.created"]
    assert types(tailspin_hook) == []


def test_the_vendors_webhook_gets_every_partners_events(alice, charlie, victor):
    vendor_hook, _ = subscribe(victor, URL, "deal.created")

    create_deal(actor=alice)
    create_deal(actor=charlie)

    organizations = [body["organization_id"] for body in bodies(vendor_hook)]
    assert organizations == [alice.organization.pk, charlie.organization.pk]


def test_only_the_chosen_event_types_are_delivered(alice):
    webhook, _ = subscribe(alice, URL, "deal.won")
    deal = create_deal(actor=alice)
    deal_services.deal_update(deal=deal, actor=alice, name="Renamed")

    assert types(webhook) == []


def test_an_inactive_webhook_gets_no_deliveries(alice):
    webhook, _ = subscribe(alice, URL, *ALL)
    services.webhook_update(actor=alice, webhook=webhook, is_active=False)

    create_deal(actor=alice)

    assert not Delivery.objects.exists()


def test_deal_changes_are_updated_won_and_lost(alice):
    subscribe(alice, URL, *ALL)
    deal = create_deal(actor=alice)
    deal_services.deal_update(deal=deal, actor=alice, name="Renamed")
    open_stage = PipelineStage.objects.filter(outcome="open").last()
    assert open_stage is not None
    deal_services.deal_move_stage(deal=deal, actor=alice, stage=open_stage)
    won = PipelineStage.objects.get(outcome="won")
    deal_services.deal_move_stage(deal=deal, actor=alice, stage=won)
    lost_deal = create_deal(actor=alice)
    deal_services.deal_move_stage(
        deal=lost_deal, actor=alice, stage=PipelineStage.objects.get(outcome="lost")
    )

    assert types() == [
        "deal.created", "deal.updated", "deal.updated", "deal.won", "deal.created", "deal.lost"
    ]  # fmt: skip
    assert bodies()[3]["object"]["state"] == "won"


def test_a_deal_patch_that_changes_nothing_sends_no_deal_updated(client, alice):
    subscribe(alice, URL, *ALL)
    deal = create_deal(actor=alice)
    products = list(deal.opportunity.products.values_list("pk", flat=True))

    response = client.patch(f"/api/v1/deals/{deal.pk}",
                            {"name": "Sakura rollout", "products": products},
                            content_type="application/json", **bearer(client, alice))  # fmt: skip

    assert response.status_code == 200, response.content
    assert types() == ["deal.created"]


def test_a_shared_note_is_delivered_to_both_sides_and_a_private_note_to_neither(alice, victor, sam):
    partner_hook, _ = subscribe(alice, URL, "shared_note.added")
    vendor_hook, _ = subscribe(victor, URL, "shared_note.added")
    deal = create_deal(actor=alice)
    notes.note_create(deal=deal, actor=alice, body="Partner secret plan", shared=False)
    notes.note_create(deal=deal, actor=victor, body="Vendor secret margin", shared=False)
    notes.note_create(deal=deal, actor=alice, body="Quote attached", shared=True)

    for webhook in (partner_hook, vendor_hook):
        [body] = bodies(webhook)
        assert body["object"]["body"] == "Quote attached"
        assert body["object"]["side"] == "partner"


def test_referral_moves_make_their_events_with_the_crm_id(alice, sam, northwind):
    webhook, _ = subscribe(alice, URL, *ALL)
    received = send_referral(actor=sam, partner=northwind)
    referral_services.referral_accept(
        referral=received, actor=alice, notes="Ours", crm_id="SF-0042", campaign_id="SPRING"
    )
    declined = send_referral(actor=sam, partner=northwind)
    referral_services.referral_decline(referral=declined, actor=alice, reason="no_capacity")

    assert types(webhook) == ["referral.received", "referral.accepted", "referral.received",
                              "referral.declined"]  # fmt: skip
    accepted = bodies(webhook)[1]["object"]
    assert accepted["external_ids"] == {
        "crm_id": "SF-0042",
        "vendor_crm_id": "",
        "campaign_id": "SPRING",
    }
    assert accepted["substatus"] == "accepted"
    assert bodies(webhook)[3]["object"]["decline_reason"] == "no_capacity"


def test_a_referral_that_expires_or_closes_makes_its_event(alice, sam, northwind):
    webhook, _ = subscribe(alice, URL, "referral.expired", "referral.lost")
    send_referral(actor=sam, partner=northwind)
    referral_services.referrals_expire(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=30))
    worked = create_referral(actor=alice)
    referral_services.referral_close(
        referral=worked, actor=alice, outcome="lost", lost_reason="price"
    )

    assert types(webhook) == ["referral.expired", "referral.lost"]


def test_a_registration_decision_is_delivered(alice, rita):
    webhook, _ = subscribe(alice, URL, "registration.decided")
    deal = create_deal(actor=alice)
    registration = deal.opportunity.registrations.get()
    registrations.registration_decide(
        registration=registration, action="reject", actor=rita, reason="Existing customer"
    )

    [body] = bodies(webhook)
    assert body["object"]["state"] == "rejected"
    assert body["object"]["deal_id"] == deal.pk
    assert body["object"]["reason"] == "Existing customer"


def test_a_task_whose_reminder_falls_due_is_delivered_once(alice, northwind, time_machine):
    webhook, _ = subscribe(alice, URL, "task.due")
    task = action_task(GoalPlanFactory.create(organization=northwind), alice)
    assert task.remind_at is not None
    time_machine.move_to(task.remind_at, tick=False)

    send_reminder(task.pk, task.remind_at.isoformat())
    send_reminder(task.pk, task.remind_at.isoformat())

    [body] = bodies(webhook)
    assert body["object"]["id"] == task.pk
    assert body["object"]["due_at"] == task.due_at.isoformat().replace("+00:00", "Z")


def test_tier_changes_and_posted_points_are_delivered(alice, northwind):
    webhook, _ = subscribe(alice, URL, "tier.changed", "points.posted")
    certify(northwind, until=dt.date(2030, 1, 1))
    sell(northwind, mrr_minor=20_000_00, closed_on=dt.date.today())
    subscription = manage(northwind, mrr_minor=80_000_00, since=dt.date.today())
    tier_services.tier_evaluate(partner=northwind, on=dt.date.today())

    assert types(webhook) == ["points.posted", "points.posted", "tier.changed"]
    managed = bodies(webhook)[1]["object"]
    assert managed["external_ids"] == {"subscription_external_id": subscription.external_id}
    assert bodies(webhook)[2]["object"]["to_tier"] != ""


def test_no_body_holds_a_private_note_or_a_customer_contacts_personal_data(
    alice, victor, sam, northwind
):
    """Every event type the product sends, for the partner's and the vendor's webhook."""
    subscribe(alice, URL, *ALL)
    subscribe(victor, URL, *ALL)
    deal = create_deal(actor=alice)
    notes.note_create(deal=deal, actor=alice, body="Partner private note", shared=False)
    notes.note_create(deal=deal, actor=victor, body="Vendor private note", shared=False)
    notes.note_create(deal=deal, actor=alice, body="Shared hello", shared=True)
    referral = send_referral(
        actor=sam,
        partner=northwind,
        contact=Contact("Yui Sato", "+81 3 0000 0000", "yui@sakura.example"),
        consent=True,
    )
    referral_services.referral_accept(referral=referral, actor=alice, notes="Private acceptance")
    create_referral(actor=alice)

    texts = [delivery.body for delivery in Delivery.objects.all()]
    assert len(texts) >= 8
    for secret in ("private note", "Yui", "yui@sakura.example", "+81 3 0000 0000",
                   "Private acceptance", "Spreadsheets everywhere"):  # fmt: skip
        assert not any(secret.lower() in text.lower() for text in texts), secret
