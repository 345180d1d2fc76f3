"""A referral's lifecycle after it arrives (D4, D5, D7): accept or decline a received one, the
sweep's expiry of an unanswered one, edit an accepted deal, close it as won or lost. Each is
one move through `perform` (lifecycle/moves.py); the opportunity row closes through crm's
services, so goals, points and dashboards follow.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.checks import (
    FieldErrors,
    checked_choice,
    positive_amount,
    required_date,
    required_text,
)
from openprm.core.dates import program_today
from openprm.core.errors import field_error
from openprm.crm.models import OpportunityState
from openprm.crm.services import opportunity_close
from openprm.referrals.checks import external_ids
from openprm.referrals.crm_ids.services import (
    referral_crm_ids_set,
    refuse_closed_edit,
    sets_ids_alone,
)
from openprm.referrals.crm_stages.selectors import mapped_stage
from openprm.referrals.lifecycle.moves import perform, require_worker, touch_opportunity
from openprm.referrals.models import (
    ACCEPTED,
    AUTOMATIC_STAGES,
    REFERRAL_EXTERNAL_ID_FIELDS,
    WON,
    DeclineReason,
    LostReason,
    PurchaseTimeframe,
    Referral,
    Substatus,
)
from openprm.referrals.notifications import notify_sender
from openprm.referrals.stages.selectors import missing_stages_for_win, stage_by_code
from openprm.referrals.stages.services import mark_up_to
from openprm.referrals.team.services import add_team, checked_team, join_team

# --- D4: accept or decline a received referral -------------------------------------------------


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    actor: User,
    notes: str,
    name: str | None = None,
    amount_minor: int | None = None,
    purchase_timeframe: str = "",
    crm_id: str = "",
    campaign_id: str = "",
    team: list[dict[str, str]] | None = None,
    expected_version: int | None = None,
) -> Referral:
    """Accept: name, value and purchase timeframe editable, notes required, CRM ID, campaign
    ID and team optional; the accepter joins the team. Never past the expiry."""
    require_worker(actor, referral)
    errors = FieldErrors()
    notes = errors.check(required_text, "notes", notes)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = errors.check(required_text, "name", name)
    if amount_minor is not None:
        changes["amount_minor"] = errors.check(positive_amount, "value", amount_minor)
    timeframe = errors.check(
        checked_choice, "purchase_timeframe", purchase_timeframe, PurchaseTimeframe, required=False
    )
    members = errors.check(checked_team, team or [], required=False)
    ids = external_ids(referral, {"crm_id": crm_id}, errors)
    errors.raise_any()

    def accept(locked: Referral) -> str:
        locked.notes = notes
        locked.purchase_timeframe = timeframe
        locked.crm_id = ids["crm_id"]
        locked.campaign_id = (campaign_id or "").strip()
        touch_opportunity(locked, **changes)
        add_team(locked, members)
        join_team(locked, actor)
        mark_up_to(locked, stage_by_code(ACCEPTED), actor)
        return notes

    move = perform(
        referral=referral,
        action="accept",
        actor=actor,
        expected_version=expected_version,
        change=accept,
    )
    return move.referral


def close_unworked(referral: Referral, actor: User | None, closed_on: datetime.date) -> str:
    """A declined or expired referral leaves the pipeline: its opportunity closes as lost, so
    in-flight reports no longer count it."""
    referral.opportunity = opportunity_close(
        opportunity=referral.opportunity,
        state=OpportunityState.LOST,
        closed_on=closed_on,
        actor=actor,
    )
    return ""


@transaction.atomic
def referral_decline(
    *,
    referral: Referral,
    actor: User,
    reason: str,
    message: str = "",
    expected_version: int | None = None,
) -> Referral:
    """Decline: a reason from the list and a message; archived as declined, sender notified."""
    require_worker(actor, referral)
    reason = checked_choice("reason", reason, DeclineReason, required=True)

    def decline(locked: Referral) -> str:
        locked.decline_reason = reason
        locked.decline_message = (message or "").strip()
        close_unworked(locked, actor, program_today())
        return locked.decline_message

    move = perform(
        referral=referral,
        action="decline",
        actor=actor,
        expected_version=expected_version,
        change=decline,
        data={"reason": reason},
    )
    declined, transition = move.referral, move.transition
    title = _("Referral declined: %(name)s (%(reason)s)") % {
        "name": declined.opportunity.name,
        "reason": DeclineReason(reason).label,
    }
    transaction.on_commit(lambda: notify_sender(declined, transition, title))
    return declined


@transaction.atomic
def referrals_expire(*, now: datetime.datetime) -> int:
    """The sweep: received referrals past their expiry are archived as expired; the sender
    is notified. Idempotent: an expired referral is no longer Received."""
    due = Referral.objects.filter(substatus=Substatus.RECEIVED, expires_at__lte=now).values_list(
        "pk", flat=True
    )
    count = 0
    for pk in list(due):
        move = perform(
            referral=Referral(pk=pk),
            action="expire",
            actor=None,
            change=lambda locked: close_unworked(locked, None, program_today(now)),
        )
        expired, transition = move.referral, move.transition
        title = _("Referral expired unanswered: %(name)s") % {"name": expired.opportunity.name}
        transaction.on_commit(
            lambda r=expired, t=transition, m=title: notify_sender(r, t, m)  # type: ignore[misc]
        )
        count += 1
    return count


# --- D5: edit an accepted deal ----------------------------------------------------------------

UPDATABLE = (
    "name",
    "estimated_close_date",
    "amount_minor",
    "notes",
    "crm_id",
    "vendor_crm_id",
    "campaign_id",
    "purchase_timeframe",
    "crm_stage",
    "stage_percentage",
)
IMMUTABLE = (
    "location",
    "location_id",
    "solution_type",
    "solution_type_ids",
    "assessment_location",
    "assessment_location_id",
)


def checked_update(referral: Referral, data: dict[str, Any]) -> dict[str, Any]:
    """The edited values that need cleaning, and the standard stage a CRM stage maps to."""
    for field in data:
        if field in IMMUTABLE:
            raise field_error(
                field, _("The location and the solution cannot change after creation."),
                "immutable",
            )  # fmt: skip
        if field not in UPDATABLE:
            raise field_error(field, _("This field cannot be set."), "unknown_field")
    errors = FieldErrors()
    values: dict[str, Any] = {}
    if "name" in data:
        values["name"] = errors.check(required_text, "name", data["name"])
    if "notes" in data:
        values["notes"] = errors.check(required_text, "notes", data["notes"])
    if "amount_minor" in data:
        values["amount_minor"] = errors.check(positive_amount, "value", data["amount_minor"])
    if "estimated_close_date" in data:
        errors.check(required_date, "estimated_close_date", data["estimated_close_date"])
    if "purchase_timeframe" in data:
        timeframe = data["purchase_timeframe"]
        errors.check(
            checked_choice, "purchase_timeframe", timeframe, PurchaseTimeframe, required=False
        )
    if "crm_stage" in data or "stage_percentage" in data:
        values["stage"] = errors.check(
            mapped_stage,
            referral.organization,
            crm_stage=data.get("crm_stage"),
            percentage=data.get("stage_percentage"),
        )
    values.update(external_ids(referral, data, errors))
    errors.raise_any()
    return values


@transaction.atomic
def referral_update(
    *, referral: Referral, actor: User, expected_version: int | None = None, **data: Any
) -> Referral:
    """D5 "Edit". Location and solution never change after creation. A partner's CRM may
    carry its own stage name (`crm_stage`) or a percentage (`stage_percentage`), mapped onto
    the standard stages (D9). The CRM ids alone change on any referral, and the vendor's
    people set the vendor's (crm_ids)."""
    if sets_ids_alone(actor, referral, data):
        return referral_crm_ids_set(
            referral=referral, actor=actor, expected_version=expected_version, **data
        )
    require_worker(actor, referral)
    refuse_closed_edit(referral)
    values = checked_update(referral, data)

    def update(locked: Referral) -> str:
        for field in ("estimated_close_date", "campaign_id", "purchase_timeframe"):
            if field in data:
                value = data[field]
                setattr(locked, field, value.strip() if isinstance(value, str) else value)
        for field in REFERRAL_EXTERNAL_ID_FIELDS:
            if field in values:
                setattr(locked, field, values[field])
        if "notes" in values:
            locked.notes = values["notes"]
        touch_opportunity(locked, **{k: values[k] for k in ("name", "amount_minor") if k in values})
        stage = values.get("stage")
        if stage is not None and stage.code not in AUTOMATIC_STAGES:
            mark_up_to(locked, stage, actor)
        return ""

    fields = sorted(data)
    move = perform(
        referral=referral,
        action="update",
        actor=actor,
        expected_version=expected_version,
        change=update,
        data={"fields": fields},
    )
    return move.referral


# --- D7: close as won or lost ------------------------------------------------------------------


@transaction.atomic
def referral_close(
    *,
    referral: Referral,
    actor: User,
    outcome: str,
    lost_reason: str = "",
    note: str = "",
    closed_on: datetime.date | None = None,
    amount_minor: int | None = None,
    mrr_minor: int | None = None,
    expected_version: int | None = None,
) -> Referral:
    """Won or lost (lost with a reason). The opportunity row closes with it, so goals, points
    and dashboards follow. A solution assessment is won only with every stage complete."""
    require_worker(actor, referral)
    if outcome not in (OpportunityState.WON, OpportunityState.LOST):
        raise field_error("outcome", _("Close as won or lost."), "invalid_choice")
    if outcome == OpportunityState.LOST:
        lost_reason = checked_choice("lost_reason", lost_reason, LostReason, required=True)
    if amount_minor is not None:
        positive_amount("value", amount_minor)
    closed_on = closed_on or program_today()

    def close(locked: Referral) -> str:
        if outcome == OpportunityState.WON:
            if locked.is_solution_assessment:
                missing = missing_stages_for_win(locked)
                if missing:
                    raise field_error(
                        "stage",
                        _("Mark every stage complete before Won; missing: %(stages)s.")
                        % {"stages": ", ".join(s.label for s in missing)},
                        "stages_missing",
                    )
            mark_up_to(locked, stage_by_code(WON), actor)
        else:
            locked.lost_reason = lost_reason
        locked.close_note = (note or "").strip()
        locked.opportunity = opportunity_close(
            opportunity=locked.opportunity,
            state=outcome,
            closed_on=closed_on,
            actor=actor,
            amount_minor=amount_minor,
            mrr_minor=mrr_minor,
        )
        return locked.close_note

    move = perform(
        referral=referral,
        action=f"close_{outcome}",
        actor=actor,
        expected_version=expected_version,
        change=close,
        data={"closed_on": closed_on.isoformat(), "lost_reason": lost_reason},
    )
    return move.referral
