"""An audit entry as both the page and the API show it: who, when, what, the values before and
after, and a link to the object the entry is about."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from openprm.core.models import Event

# The page of each object type, and the key of the event's data or the object id it takes.
LINKS: dict[str, tuple[str, str | None]] = {
    "deals.deal": ("deals:detail", None),
    "deals.dealnote": ("deals:detail", "deal"),
    "deals.notecomment": ("deals:detail", "deal"),
    "deals.noteattachment": ("deals:detail", "deal"),
    "referrals.referral": ("referrals:detail", None),
    "goals.goalplan": ("goals:detail", None),
    "goals.actiontask": ("goals:task", None),
    "crm.customer": ("crm:customer-detail", None),
    "crm.contact": ("crm:contact-detail", None),
    "crm.customernote": ("crm:customer-detail", "customer"),
    "accounts.organization": ("crm:partner-detail", None),
    "crm.partnerapplication": ("crm:partner-application-detail", None),
}
# Keys of an event's data that say what changed rather than add a detail.
CHANGE_KEYS = {"changes", "from", "to", "fields"}


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Entry:
    id: int
    created_at: datetime.datetime
    actor_id: int | None
    actor_name: str
    organization_id: int | None
    action: str
    object_type: str
    object_label: str
    object_id: str
    link: str | None
    fields: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


def link_of(event: Event) -> str | None:
    target = LINKS.get(event.object_type)
    if target is None:
        return None
    url_name, data_key = target
    object_id = event.data.get(data_key) if data_key else event.object_id
    if object_id in (None, ""):
        return None
    try:
        return reverse(url_name, args=[object_id])
    except NoReverseMatch:
        return None


def label_of(object_type: str) -> str:
    app_label, _dot, model_name = object_type.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


def changes_of(data: dict[str, Any]) -> list[Change]:
    """Per field before and after (`changes`), or the one move an event records (`from`, `to`)."""
    recorded = data.get("changes")
    if isinstance(recorded, dict):
        return [
            Change(name, *values) if isinstance(values, list) and len(values) == 2
            else Change(name, None, values)
            for name, values in sorted(recorded.items())
        ]  # fmt: skip
    if "from" in data or "to" in data:
        return [Change("", data.get("from"), data.get("to"))]
    return []


def entry_of(event: Event) -> Entry:
    actor = event.actor
    data = event.data if isinstance(event.data, dict) else {}
    fields = data.get("fields")
    return Entry(
        id=event.pk,
        created_at=event.created_at,
        actor_id=actor.pk if actor else None,
        actor_name=(actor.full_name or actor.email) if actor else "",
        organization_id=event.organization_id,
        action=event.kind,
        object_type=event.object_type,
        object_label=label_of(event.object_type),
        object_id=event.object_id,
        link=link_of(event),
        fields=[str(name) for name in fields] if isinstance(fields, list) else [],
        changes=changes_of(data),
        details={key: value for key, value in data.items() if key not in CHANGE_KEYS},
    )


class EntryPages:
    """The entries of a queryset of events, read a page at a time (the API's pagination slices
    it, the page's paginator too): only the events of the page asked for are read."""

    def __init__(self, events: QuerySet[Event]) -> None:
        self.events = events

    def __len__(self) -> int:
        return self.events.count()

    def count(self) -> int:
        return self.events.count()

    def __getitem__(self, window: slice) -> list[Entry]:
        return [entry_of(event) for event in self.events[window]]
