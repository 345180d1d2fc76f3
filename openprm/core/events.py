"""Writing domain events: the one way services say what happened.

An app above the features (webhooks) needs to act on an event in the transaction that wrote it,
so that the change and its consequence commit or roll back together. It registers a listener
with `@event_listener` from its AppConfig.ready(), as apps register due work with the sweep:
core calls whatever is registered and knows nothing of who listens. A listener that raises
rolls the change back with it, so listeners do only database writes of their own.
"""

from collections.abc import Callable
from typing import Any

from django.db import models

from openprm.core.models import Event

EventListener = Callable[[Event, models.Model], None]

_listeners: dict[str, EventListener] = {}


def event_listener(name: str) -> Callable[[EventListener], EventListener]:
    """Register a listener, called with each new event and the object it is about."""

    def register(listener: EventListener) -> EventListener:
        _listeners[name] = listener
        return listener

    return register


def record_event(
    *,
    kind: str,
    obj: models.Model,
    actor: Any = None,
    organization: Any = None,
    data: dict[str, Any] | None = None,
) -> Event:
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    event = Event.objects.create(
        kind=kind,
        organization=organization,
        actor=actor_user,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )
    for listener in _listeners.values():
        listener(event, obj)
    return event
