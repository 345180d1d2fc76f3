"""C9: partners are warned before their exclusivity ends and may ask for an extension, which a
reviewer grants (one more exclusivity period) or refuses. Each step is a transition
row (the state stays) and an event."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.core.errors import Conflict, Forbidden, field_error
from openprm.core.events import record_event
from openprm.crm.models import OpportunityState
from openprm.deals.assignment import lead_recipients
from openprm.deals.models import DealProgram, Registration
from openprm.deals.registrations import (
    notify_partner,
    registration_link,
    require_reviewer,
    write_transition,
)
from openprm.deals.transitions import HOLDING_STATES
from openprm.notifications.kinds import REGISTRATION_DECISION
from openprm.notifications.services import notify

WARNING_DAYS = 14


def expiring(now: datetime.datetime):
    return Registration.objects.filter(
        state__in=HOLDING_STATES,
        expires_at__gt=now,
        expires_at__lte=now + datetime.timedelta(days=WARNING_DAYS),
        opportunity__state=OpportunityState.OPEN,
    ).select_related("opportunity", "organization", "submitted_by")


def registrations_warn(*, now: datetime.datetime) -> int:
    """Once per registration and exclusivity period (notify's cause makes repeats no-ops)."""
    count = 0
    for registration in expiring(now):
        recipients = {u.pk: u for u in lead_recipients(registration.organization)}
        if registration.submitted_by is not None and registration.submitted_by.is_active:
            recipients[registration.submitted_by.pk] = registration.submitted_by
        for user in recipients.values():
            notify(
                recipient=user,
                kind=REGISTRATION_DECISION,
                cause=f"registration-expiry:{registration.pk}:{registration.expires_at.date()}",
                title=_("The registration of “%(deal)s” expires on %(date)s")
                % {"deal": registration.opportunity.name, "date": registration.expires_at.date()},
                body=_("Ask for an extension on the deal if you need more time."),
                link=registration_link(registration),
            )
        count += 1
    return count


@transaction.atomic
def extension_request(
    *, registration: Registration, actor: Any, reason: str, expected_version: int | None = None
) -> Registration:
    if not getattr(actor, "is_partner", False) or actor.organization != registration.organization:
        raise Forbidden(_("Only the registering partner can ask for an extension."))
    reason = (reason or "").strip()
    if not reason:
        raise field_error("reason", _("Say why you need more time."), "required")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.check_version(expected_version)
    if registration.state not in HOLDING_STATES or registration.extension_requested_at:
        raise Conflict(_("This registration cannot be extended now."), code="invalid_transition")
    registration.extension_requested_at = timezone.now()
    registration.extension_reason = reason
    registration.bump_version()
    registration.save()
    write_transition(
        registration, from_state=registration.state, actor=actor, note=f"extension: {reason}"
    )
    record_event(
        kind="registration.extension_requested",
        obj=registration,
        actor=actor,
        organization=registration.organization,
        data={"reason": reason},
    )
    return registration


@transaction.atomic
def extension_decide(
    *,
    registration: Registration,
    actor: Any,
    grant: bool,
    reason: str = "",
    expected_version: int | None = None,
) -> Registration:
    """Granted: one more exclusivity period after the end date (from now, once past it).
    Refused: the end date stays."""
    require_reviewer(actor)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.check_version(expected_version)
    if registration.extension_requested_at is None:
        raise Conflict(_("No extension was asked for."), code="invalid_transition")
    if grant:
        days = DealProgram.current().exclusivity_days
        registration.expires_at = max(registration.expires_at, timezone.now()) + datetime.timedelta(
            days=days
        )
    registration.extension_requested_at = None
    registration.bump_version()
    registration.save()
    outcome = "granted" if grant else "refused"
    transition = write_transition(
        registration,
        from_state=registration.state,
        actor=actor,
        note=f"extension {outcome}: {reason}".strip(": "),
    )
    record_event(
        kind=f"registration.extension_{outcome}",
        obj=registration,
        actor=actor,
        organization=registration.organization,
        data={"expires_at": registration.expires_at.isoformat(), "reason": reason},
    )
    title = (
        _("Extension granted for “%(deal)s”") if grant else _("Extension refused for “%(deal)s”")
    ) % {"deal": registration.opportunity.name}
    notify_partner(registration, transition, title=title)
    return registration
