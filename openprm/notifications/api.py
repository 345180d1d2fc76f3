"""/api/v1/notifications: the user's own inbox, marking read, and delivery preferences."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, StrictSchema
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.notifications import selectors, services
from openprm.notifications.kinds import KINDS

router = Router(tags=["notifications"])


def kind_enum(schema: dict[str, Any]) -> None:
    """Features register kinds as they load, so the list is read when the document is made."""
    schema["enum"] = sorted(KINDS)


Kind = Annotated[str, Field(max_length=50, json_schema_extra=kind_enum)]


class NotificationOut(Schema):
    id: int
    kind: Kind
    title: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None
    is_read: bool


class MarkedOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: Kind
    label: str
    email: bool
    in_app: bool


class PreferenceIn(StrictSchema):
    kind: Kind
    email: bool
    in_app: bool


class PreferencesIn(StrictSchema):
    preferences: list[PreferenceIn] = Field(max_length=100)


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_notifications(request: MemberRequest, unread: bool | None = None):
    """Newest first; `unread=true` gives only the unread ones."""
    return selectors.inbox(user=request.user, unread=unread)


@router.post("/notifications/read-all", response={200: MarkedOut, **ERRORS})
def mark_all_read(request: MemberRequest):
    return {"marked": services.notifications_mark_all_read(user=request.user)}


@router.post("/notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def mark_read(request: MemberRequest, notification_id: int):
    notification = selectors.notification_get(user=request.user, notification_id=notification_id)
    return services.notification_mark_read(notification=notification)


def preferences_out(request: MemberRequest) -> list[dict]:
    return [
        {"kind": kind.code, "label": str(kind.label), "email": email, "in_app": in_app}
        for kind, email, in_app in selectors.preferences(user=request.user)
    ]


@router.get("/notifications/preferences", response={200: list[PreferenceOut], **ERRORS})
def get_preferences(request: MemberRequest):
    return preferences_out(request)


@router.put("/notifications/preferences", response={200: list[PreferenceOut], **ERRORS})
def put_preferences(request: MemberRequest, payload: PreferencesIn):
    """Sets the kinds given; kinds left out keep their current choice."""
    choices = {p.kind: (p.email, p.in_app) for p in payload.preferences}
    services.preferences_save(user=request.user, choices=choices)
    return preferences_out(request)
