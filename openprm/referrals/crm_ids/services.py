"""D9: a referral's CRM ids, set whatever its status. A partner's CRM and the vendor's keep
their records after a deal closes, so the ids of a won or lost referral still change, and the
vendor's people who see a referral (the sales rep who sent it, the program admin) set the
vendor's CRM id on it, though they change nothing else of the partner's deal."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.checks import FieldErrors
from openprm.core.errors import Conflict, Forbidden, NotFound, field_error
from openprm.core.events import record_event
from openprm.referrals.checks import external_ids
from openprm.referrals.lifecycle.moves import locked
from openprm.referrals.models import (
    ACCEPTED,
    CLOSED_SUBSTATUSES,
    REFERRAL_EXTERNAL_ID_FIELDS,
    Referral,
)
from openprm.referrals.selectors import VENDOR_SENDERS, works_for_owner
from openprm.referrals.transitions import effective_substatus

# The vendor's own id of the referral; the partner's CRM id stays the partner's to set.
VENDOR_FIELDS = frozenset({"vendor_crm_id"})


def only_crm_ids(data: dict[str, Any]) -> bool:
    return bool(data) and set(data) <= set(REFERRAL_EXTERNAL_ID_FIELDS)


def sets_ids_alone(actor: User, referral: Referral, data: dict[str, Any]) -> bool:
    """A change of CRM ids alone that D5's "Edit" does not take: the vendor's, or on a
    referral that is no longer accepted."""
    if not only_crm_ids(data):
        return False
    accepted = effective_substatus(referral, timezone.now()) == ACCEPTED
    return not (accepted and works_for_owner(actor, referral))


def refuse_closed_edit(referral: Referral) -> None:
    """D5's "Edit" of a closed referral, refused naming what may still change."""
    if referral.substatus in CLOSED_SUBSTATUSES:
        raise Conflict(
            _("This referral is closed: only its CRM IDs can still change."),
            code="invalid_transition",
        )


def require_id_setter(actor: User, referral: Referral, fields: set[str]) -> None:
    if not Referral.objects.for_user(actor).filter(pk=referral.pk).exists():
        raise NotFound()
    if works_for_owner(actor, referral):
        return
    if getattr(actor, "role", None) not in VENDOR_SENDERS:
        raise Forbidden(_("Only the partner working this referral can change it."))
    for field in sorted(fields - VENDOR_FIELDS):
        raise field_error(field, _("The partner sets its own CRM ID."), "forbidden")


@transaction.atomic
def referral_crm_ids_set(
    *, referral: Referral, actor: User, expected_version: int | None = None, **data: Any
) -> Referral:
    """Sets the CRM ids given (each unique among the partner's referrals); a change that
    changes nothing writes nothing."""
    require_id_setter(actor, referral, set(data))
    row = locked(referral)
    row.check_version(expected_version)
    errors = FieldErrors()
    values = external_ids(row, data, errors)
    errors.raise_any()
    changes = {
        field: [getattr(row, field), value]
        for field, value in values.items()
        if getattr(row, field) != value
    }
    if not changes:
        return row
    for field, (_before, after) in changes.items():
        setattr(row, field, after)
    row.bump_version()
    row.save()
    record_event(
        kind="referral.crm_ids_changed",
        obj=row,
        actor=actor,
        organization=row.organization,
        data={"fields": sorted(changes), "changes": changes},
    )
    return row
