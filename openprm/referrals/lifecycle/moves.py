"""The one place a referral moves (D1 to D8): `perform` locks the row, checks the move against
the transitions table and the expiry, applies the change, writes the transition row and the
event. Only the owning partner's people move a referral (`require_worker`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.errors import Conflict, Forbidden, NotFound
from openprm.core.events import record_event
from openprm.referrals.models import Referral, ReferralTransition, Substatus
from openprm.referrals.selectors import works_for_owner
from openprm.referrals.transitions import (
    EVENT_KINDS,
    NEW,
    allowed_actions,
    effective_substatus,
    target_substatus,
)


def require_worker(user: Any, referral: Referral) -> None:
    """Only the owner's people move a referral (D3): one the user does not see is missing, one
    they see but do not own (its sender, the vendor) is not theirs to change."""
    if not Referral.objects.for_user(user).filter(pk=referral.pk).exists():
        raise NotFound()
    if not works_for_owner(user, referral):
        raise Forbidden(_("Only the partner working this referral can change it."))


def not_allowed(referral: Referral, substatus: str) -> Conflict:
    allowed = allowed_actions(substatus)
    label = Substatus(substatus).label
    if allowed:
        message = _("This referral is %(status)s; allowed actions: %(actions)s.") % {
            "status": label,
            "actions": ", ".join(allowed),
        }
    else:
        message = _("This referral is %(status)s; no action is possible on it.") % {"status": label}
    return Conflict(message, field="action", code="invalid_transition")


@dataclass
class Move:
    referral: Referral
    transition: ReferralTransition


def perform(
    *,
    referral: Referral,
    action: str,
    actor: Any,
    expected_version: int | None = None,
    change: Callable[[Referral], str] | None = None,
    data: dict[str, Any] | None = None,
) -> Move:
    """Lock, check the move against the table (and the expiry), apply `change` (which returns
    the transition's note), then write the transition and the event. A referral not saved yet
    makes its first move, from NEW: it is written first, so that `change` can give it its
    team and stage marks. Call inside atomic()."""
    now = timezone.now()
    if referral.pk is None:
        current = NEW
    else:
        referral = locked(referral)
        referral.check_version(expected_version)
        current = effective_substatus(referral, now) if action != "expire" else referral.substatus
    target = target_substatus(action, current)
    if target is None:
        raise not_allowed(referral, current)
    if current == NEW:
        referral.substatus = target
        referral.save()
        note = change(referral) if change else ""
    else:
        note = change(referral) if change else ""
        referral.substatus = target
        if target != current and referral.is_closed:
            referral.closed_at = now
        referral.bump_version()
        referral.full_clean(exclude=["opportunity", "organization", "location"])
        referral.save()
    transition = ReferralTransition.objects.create(
        referral=referral,
        action=action,
        from_substatus=current,
        to_substatus=target,
        actor=actor if isinstance(actor, User) else None,
        note=note,
    )
    record_event(
        kind=EVENT_KINDS.get(action, f"referral.{action}"),
        obj=referral,
        actor=actor,
        organization=referral.organization,
        data={"from": current, "to": target, **(data or {})},
    )
    return Move(referral, transition)


def locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("opportunity", "organization", "stage")
        .get(pk=referral.pk)
    )


def touch_opportunity(referral: Referral, **fields: Any) -> None:
    """The opportunity row carries the name and the value; both rows' ETags move together."""
    opportunity = referral.opportunity
    for field, value in fields.items():
        setattr(opportunity, field, value)
    opportunity.bump_version()
    opportunity.full_clean()
    opportunity.save()
