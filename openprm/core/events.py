"""Writing domain events: the one way services say what happened."""

from typing import Any

from django.db import models

from openprm.core.models import Event


def record_event(
    *,
    kind: str,
    obj: models.Model,
    actor: Any = None,
    organization: Any = None,
    data: dict[str, Any] | None = None,
) -> Event:
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    return Event.objects.create(
        kind=kind,
        organization=organization,
        actor=actor_user,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )
