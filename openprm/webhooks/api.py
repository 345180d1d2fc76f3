"""/api/v1/webhooks: an organization's outbound webhooks, their test ping and delivery log.
Partner admins and the program admin only; anyone else, and another organization's webhook,
get a 404. The same services as Settings > Webhooks."""

import datetime
import json
from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import (
    ERRORS,
    UPDATE_ERRORS,
    PatchSchema,
    StrictSchema,
    expected_version,
    with_etag,
)
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.webhooks import selectors, services
from openprm.webhooks.models import PING, AttemptError, Delivery, DeliveryState, EventType

router = Router(tags=["webhooks"])

Url = Annotated[
    str,
    Field(
        max_length=2000,
        description="An http:// or https:// address that resolves to public addresses only "
        "(unless the operator allows private ones).",
    ),
]
EventTypes = Annotated[
    list[EventType],
    Field(min_length=1, max_length=len(EventType.values), description="At least one."),
]


class WebhookIn(StrictSchema):
    url: Url
    event_types: EventTypes
    description: str = Field("", max_length=200)


class WebhookPatchIn(PatchSchema):
    url: Url | None = None
    event_types: EventTypes | None = None
    description: str | None = Field(None, max_length=200)
    is_active: bool | None = Field(
        None, description="true enables a disabled webhook again: what waited is sent."
    )


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    event_types: list[EventType]
    is_active: bool
    disabled_at: datetime.datetime | None = Field(
        description="When it was disabled after repeated failures."
    )
    failed_deliveries: int = Field(description="Deliveries in a row that failed for good.")
    secret_hint: str = Field(description="The start of the signing secret.")
    version: int
    created_at: datetime.datetime
    updated_at: datetime.datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="The signing secret; shown in this answer only.")


class AttemptOut(Schema):
    started_at: datetime.datetime
    duration_ms: int
    response_code: int | None
    succeeded: bool
    error: AttemptError | None
    detail: str

    @staticmethod
    def resolve_error(obj: Any) -> str | None:
        return obj.error or None


class DeliveryOut(Schema):
    id: int = Field(description="Sent as the OpenPRM-Delivery header, the same on every attempt.")
    event_id: int = Field(description="The body's id.")
    event_type: str = Field(
        description="The event type, or ping.",
        json_schema_extra={"enum": [*EventType.values, PING]},
    )
    state: DeliveryState
    next_attempt_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    created_at: datetime.datetime
    payload: dict[str, Any] = Field(description="The JSON body, as sent.")
    attempts: list[AttemptOut]

    @staticmethod
    def resolve_next_attempt_at(obj: Delivery) -> datetime.datetime | None:
        return obj.next_attempt_at if obj.state == DeliveryState.PENDING else None

    @staticmethod
    def resolve_payload(obj: Delivery) -> dict[str, Any]:
        return json.loads(obj.body)

    @staticmethod
    def resolve_attempts(obj: Delivery) -> list[Any]:
        return list(obj.attempts.all())


@router.get("/webhooks", response={200: list[WebhookOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_webhooks(request: MemberRequest):
    return selectors.webhooks_for_user(user=request.user)


@router.post(
    "/webhooks",
    response={201: WebhookCreatedOut, **ERRORS},
    summary="Subscribe a URL to events",
)
def create_webhook(request: MemberRequest, response: HttpResponse, payload: WebhookIn):
    """The secret is in this answer only: it is not stored by caches, and an Idempotency-Key
    retry does not replay it."""
    webhook, secret = services.webhook_create(
        actor=request.user,
        url=payload.url,
        event_types=[str(value) for value in payload.event_types],
        description=payload.description,
    )
    response["Cache-Control"] = "no-store"
    with_etag(response, webhook)
    return Status(201, {**WebhookOut.from_orm(webhook).dict(), "secret": secret})


@router.get("/webhooks/{int:webhook_id}", response={200: WebhookOut, **ERRORS})
def get_webhook(request: MemberRequest, response: HttpResponse, webhook_id: int):
    return with_etag(response, selectors.webhook_get(user=request.user, webhook_id=webhook_id))


@router.patch("/webhooks/{int:webhook_id}", response={200: WebhookOut, **UPDATE_ERRORS})
def update_webhook(
    request: MemberRequest, response: HttpResponse, webhook_id: int, payload: WebhookPatchIn
):
    webhook = selectors.webhook_get(user=request.user, webhook_id=webhook_id)
    changes = payload.model_dump(include=payload.model_fields_set)
    if "event_types" in changes:
        changes["event_types"] = [str(value) for value in changes["event_types"]]
    webhook = services.webhook_update(
        actor=request.user, webhook=webhook, expected_version=expected_version(request), **changes
    )
    return with_etag(response, webhook)


@router.delete("/webhooks/{int:webhook_id}", response={204: None, **ERRORS})
def delete_webhook(request: MemberRequest, webhook_id: int):
    webhook = selectors.webhook_get(user=request.user, webhook_id=webhook_id)
    services.webhook_delete(actor=request.user, webhook=webhook)
    return Status(204, None)


@router.post(
    "/webhooks/{int:webhook_id}/ping",
    response={202: DeliveryOut, **ERRORS},
    summary="Send a test ping",
)
def ping_webhook(request: MemberRequest, webhook_id: int):
    """The worker sends it in a moment; its attempt appears in the delivery log."""
    webhook = selectors.webhook_get(user=request.user, webhook_id=webhook_id)
    return Status(202, services.webhook_ping(actor=request.user, webhook=webhook))


@router.get(
    "/webhooks/{int:webhook_id}/deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    summary="The delivery log, newest event first",
)
@paginate(LimitOffsetPagination)
def list_deliveries(request: MemberRequest, webhook_id: int):
    webhook = selectors.webhook_get(user=request.user, webhook_id=webhook_id)
    return selectors.deliveries_of(webhook=webhook)


@router.post(
    "/webhooks/deliveries/{int:delivery_id}/redeliver",
    response={202: DeliveryOut, **ERRORS},
    summary="Send a delivery again",
)
def redeliver(request: MemberRequest, delivery_id: int):
    delivery = selectors.delivery_get(user=request.user, delivery_id=delivery_id)
    return Status(202, services.delivery_redeliver(actor=request.user, delivery=delivery))
