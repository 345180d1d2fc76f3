"""Reads for the audit log (A4): the domain events the services record in the transaction of
each change, scoped to the reader.

The program admin reads every partner's entries and the program settings'; a partner admin
reads the entries about its own organization's objects only; anyone else gets a 404. Neither
side reads the entries about the other side's private notes (a partner's customer notes, the
other side's unshared deal notes): what the other side keeps to itself stays hidden, in the log
as on the record; nor anyone's personal workspace (saved reports, lists, exports, views,
tokens). No entry holds a note's text: the services never write it into an event.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.checks import FieldErrors
from openprm.core.errors import NotFound
from openprm.core.models import Event
from openprm.deals.models import DealNote, Side

NOTE_PARTS = ("deals.notecomment", "deals.noteattachment")
PARTNER_PRIVATE_TYPES = ("crm.customernote",)
# A user's own workspace (saved reports and lists, exports, deal views, API tokens), not the
# program's records: its names are its owner's alone, so the log leaves it out for everyone.
PERSONAL_TYPES = (
    "dashboard.customerlist",
    "dashboard.savedreport",
    "dashboard.export",
    "deals.dealview",
    "accounts.apitoken",
)


@dataclass(frozen=True)
class AuditFilters:
    object_type: str = ""
    object_id: str = ""
    actor: int | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None


def can_read_audit(user: User | AnonymousUser) -> bool:
    return bool(
        isinstance(user, User)
        and user.is_active
        and (user.is_program_admin or user.is_partner_admin)
    )


def hidden_notes(side: str) -> Q:
    """The entries about the unshared notes of the side other than `side`, their comments and
    attachments included."""
    private = DealNote.objects.filter(shared=False).exclude(side=side)
    note_texts = private.values(pk_text=Cast("pk", CharField()))
    note_ids = list(private.values_list("pk", flat=True))
    return Q(object_type="deals.dealnote", object_id__in=note_texts) | Q(
        object_type__in=NOTE_PARTS, data__note__in=note_ids
    )


def visible_events(user: User) -> QuerySet[Event]:
    if not can_read_audit(user):
        raise NotFound()
    events = Event.objects.select_related("actor", "organization").exclude(
        object_type__in=PERSONAL_TYPES
    )
    if user.is_program_admin:
        return events.exclude(object_type__in=PARTNER_PRIVATE_TYPES).exclude(
            hidden_notes(Side.VENDOR)
        )
    return events.filter(organization=user.organization).exclude(hidden_notes(Side.PARTNER))


def checked_filters(filters: AuditFilters) -> AuditFilters:
    errors = FieldErrors()
    if filters.object_type and not is_model_label(filters.object_type):
        errors.add(
            "object_type",
            _("Enter an object type such as deals.deal."),
            "invalid_choice",
        )
    if filters.since and filters.until and filters.until <= filters.since:
        errors.add("until", _("The end must be after the start."), "invalid")
    errors.raise_any()
    return filters


def is_model_label(label: str) -> bool:
    app_label, _dot, model_name = label.partition(".")
    try:
        apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return False
    return True


def audit_entries(*, user: User, filters: AuditFilters) -> QuerySet[Event]:
    """Newest first: the entries the user may read that match every filter given."""
    events = visible_events(user)
    checked_filters(filters)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type.lower())
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.actor is not None:
        events = events.filter(actor_id=filters.actor)
    if filters.since:
        events = events.filter(created_at__gte=filters.since)
    if filters.until:
        events = events.filter(created_at__lt=filters.until)
    return events


@dataclass(frozen=True)
class AuditChoices:
    object_types: list[str]
    actors: list[Any]


def audit_choices(*, user: User) -> AuditChoices:
    """What the log page's filters offer: the object types and the people of the entries the
    user may read."""
    visible = visible_events(user).order_by()
    object_types = sorted(set(visible.values_list("object_type", flat=True)))
    actor_ids = visible.exclude(actor=None).values("actor_id")
    actors = list(get_user_model().objects.filter(pk__in=actor_ids).order_by("email"))
    return AuditChoices(object_types=object_types, actors=actors)
