"""What a delivery says: which domain events make which webhook event, and the body for each.

A body holds the fields both sides of the program see on the object (the same for a partner's
subscription and the vendor's), kept small: ids to fetch more through the API, the object's
external ids, and no customer contact's personal data, private note, memo or message. The one
free text sent is a shared note's body, which both sides read. docs/api.md lists the fields.
"""

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.db import models

from openprm.core.models import Event
from openprm.core.money import from_minor
from openprm.crm.models import Customer, OpportunityState
from openprm.deals.models import Deal, DealNote, Registration
from openprm.goals.models import ActionTask
from openprm.points.models import PointEntry, TierChange
from openprm.referrals.models import Referral
from openprm.webhooks.models import EventType


def always(event_type: str) -> Callable[[dict], str | None]:
    return lambda data: event_type


def deal_stage(data: dict) -> str | None:
    """A won or lost stage closes the deal; any other move is an update."""
    closing: dict[str, str] = {
        OpportunityState.WON: EventType.DEAL_WON,
        OpportunityState.LOST: EventType.DEAL_LOST,
    }
    return closing.get(str(data.get("outcome")), EventType.DEAL_UPDATED)


def shared_only(data: dict) -> str | None:
    """A private note never leaves its side: it makes no webhook event at all."""
    return EventType.SHARED_NOTE_ADDED if data.get("shared") is True else None


# Domain event kind -> the webhook event it makes (None: none for this one).
TYPE_OF_KIND: dict[str, Callable[[dict], str | None]] = {
    "deal.created": always(EventType.DEAL_CREATED),
    "deal.converted": always(EventType.DEAL_CREATED),
    "deal.updated": always(EventType.DEAL_UPDATED),
    "deal.product_changed": always(EventType.DEAL_UPDATED),
    "deal.stage_changed": deal_stage,
    "deal_note.created": shared_only,
    "referral.sent": always(EventType.REFERRAL_RECEIVED),
    "referral.accept": always(EventType.REFERRAL_ACCEPTED),
    "referral.decline": always(EventType.REFERRAL_DECLINED),
    "referral.expire": always(EventType.REFERRAL_EXPIRED),
    "referral.close_won": always(EventType.REFERRAL_WON),
    "referral.close_lost": always(EventType.REFERRAL_LOST),
    "registration.approved": always(EventType.REGISTRATION_DECIDED),
    "registration.rejected": always(EventType.REGISTRATION_DECIDED),
    "registration.more_info_requested": always(EventType.REGISTRATION_DECIDED),
    "action_task.due": always(EventType.TASK_DUE),
    "points.tier_changed": always(EventType.TIER_CHANGED),
    "points.sale_posted": always(EventType.POINTS_POSTED),
    "points.managed_posted": always(EventType.POINTS_POSTED),
}


def webhook_event_type(event: Event) -> str | None:
    make = TYPE_OF_KIND.get(event.kind)
    return make(event.data) if make else None


def utc(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def money(amount_minor: int, currency: str) -> str:
    return str(from_minor(amount_minor, currency))


def customer_fields(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.pk,
        "name": customer.name,
        "duns": customer.duns,
        "vendor_crm_id": customer.vendor_crm_id,
    }


def deal_fields(deal: Deal) -> dict[str, Any]:
    opportunity = deal.opportunity
    return {
        "type": "deal",
        "id": deal.pk,
        "opportunity_id": opportunity.pk,
        "name": opportunity.name,
        "customer": customer_fields(opportunity.customer),
        "state": opportunity.state,
        "stage": deal.stage.name if deal.stage else None,
        "amount": money(opportunity.amount_minor, opportunity.currency_id),
        "mrr": money(opportunity.mrr_minor, opportunity.currency_id),
        "currency": opportunity.currency_id,
        "close_date": day(deal.close_date),
        "closed_on": day(opportunity.closed_on),
        "products": sorted(opportunity.products.values_list("code", flat=True)),
        "compensation_eligible": deal.compensation_eligible,
        "external_ids": {
            "vendor_crm_id": deal.vendor_crm_id,
            "partner_crm_id": deal.partner_crm_id,
        },
    }


def note_fields(note: DealNote) -> dict[str, Any]:
    return {
        "type": "shared_note",
        "id": note.pk,
        "deal_id": note.deal_id,
        "side": note.side,
        "body": note.body,
        "attachments": list(note.attachments.values_list("name", flat=True)),
        "created_at": utc(note.created_at),
    }


def referral_fields(referral: Referral) -> dict[str, Any]:
    opportunity = referral.opportunity
    return {
        "type": "referral",
        "id": referral.pk,
        "opportunity_id": opportunity.pk,
        "kind": opportunity.kind,
        "name": opportunity.name,
        "customer": customer_fields(opportunity.customer),
        "direction": referral.direction,
        "status": referral.status,
        "substatus": referral.substatus,
        "stage": referral.stage.code if referral.stage else None,
        "value": money(opportunity.amount_minor, opportunity.currency_id),
        "currency": opportunity.currency_id,
        "location_id": referral.location_id,
        "sender_organization_id": referral.sender_organization_id,
        "estimated_close_date": day(referral.estimated_close_date),
        "expires_at": utc(referral.expires_at),
        "decline_reason": referral.decline_reason,
        "lost_reason": referral.lost_reason,
        "closed_at": utc(referral.closed_at),
        "external_ids": {
            "crm_id": referral.crm_id,
            "vendor_crm_id": referral.vendor_crm_id,
            "campaign_id": referral.campaign_id,
        },
    }


def registration_fields(registration: Registration) -> dict[str, Any]:
    opportunity = registration.opportunity
    deal = Deal.objects.filter(opportunity=opportunity).values_list("pk", flat=True).first()
    referral = Referral.objects.filter(opportunity=opportunity).values_list("pk", flat=True).first()
    return {
        "type": "registration",
        "id": registration.pk,
        "kind": registration.kind,
        "state": registration.state,
        "opportunity_id": opportunity.pk,
        "deal_id": deal,
        "referral_id": referral,
        "customer": customer_fields(registration.customer),
        "exclusive": registration.exclusive,
        "expires_at": utc(registration.expires_at),
        "reason": registration.reason or registration.info_request,
    }


def task_fields(task: ActionTask) -> dict[str, Any]:
    return {
        "type": "task",
        "id": task.pk,
        "plan_id": task.plan_id,
        "title": task.title,
        "task_type": task.task_type,
        "priority": task.priority,
        "assignee_id": task.assignee_id,
        "due_at": utc(task.due_at),
        "remind_at": utc(task.remind_at),
        "done": task.done,
    }


def tier_change_fields(change: TierChange) -> dict[str, Any]:
    return {
        "type": "tier_change",
        "id": change.pk,
        "from_tier": change.from_tier,
        "to_tier": change.to_tier,
        "changed_on": day(change.changed_on),
        "reason": change.reason,
    }


def point_entry_fields(entry: PointEntry) -> dict[str, Any]:
    subscription = entry.subscription
    return {
        "type": "point_entry",
        "id": entry.pk,
        "track": entry.track,
        "cause": entry.cause_kind,
        "points": str(entry.points),
        "customer_id": entry.customer_id,
        "opportunity_id": entry.opportunity_id,
        "subscription_id": entry.subscription_id,
        "cause_on": day(entry.cause_on),
        "active_from": day(entry.active_from),
        "expires_on": day(entry.expires_on),
        "external_ids": {
            "subscription_external_id": subscription.external_id if subscription else None
        },
    }


FIELDS_OF: dict[type[models.Model], Callable[[Any], dict[str, Any]]] = {
    Deal: deal_fields,
    DealNote: note_fields,
    Referral: referral_fields,
    Registration: registration_fields,
    ActionTask: task_fields,
    TierChange: tier_change_fields,
    PointEntry: point_entry_fields,
}


def encode(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def event_body(event: Event, event_type: str, obj: models.Model) -> str:
    """The JSON every subscription gets for this event; its id is the event's, the same on
    every retry and redelivery."""
    return encode(
        {
            "id": event.pk,
            "type": event_type,
            "occurred_at": utc(event.created_at),
            "organization_id": event.organization_id,
            "object": FIELDS_OF[type(obj)](obj),
        }
    )
