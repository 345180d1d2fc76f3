"""Marking a deal's sales stages (D6): a stage is marked with every stage below it, never
backwards; Won is marked only by closing.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.errors import field_error
from openprm.referrals.crm_stages.selectors import mapped_stage
from openprm.referrals.lifecycle.moves import perform, require_worker
from openprm.referrals.models import (
    AUTOMATIC_STAGES,
    CREATED,
    WON,
    Referral,
    ReferralStageMark,
    SalesStage,
)
from openprm.referrals.stages.selectors import sales_stages


def mark_up_to(referral: Referral, stage: SalesStage, actor: User) -> list[SalesStage]:
    """Marks `stage` and every stage below it; returns the stages newly marked."""
    marked = set(referral.stage_marks.values_list("stage_id", flat=True))
    new = [s for s in sales_stages() if s.position <= stage.position and s.pk not in marked]
    ReferralStageMark.objects.bulk_create(
        ReferralStageMark(
            referral=referral, stage=s, marked_by=actor if isinstance(actor, User) else None
        )
        for s in new
    )
    if referral.stage is None or stage.position > referral.stage.position:
        referral.stage = stage
    return new


@transaction.atomic
def referral_mark_stage(
    *,
    referral: Referral,
    actor: User,
    stage: SalesStage | str | None = None,
    crm_stage: str | None = None,
    percentage: int | None = None,
    expected_version: int | None = None,
) -> Referral:
    """D6: mark a stage complete, and every stage below it. Stages never move backwards:
    a stage at or below the current one is already complete and changes nothing. Won
    happens only by closing."""
    require_worker(actor, referral)
    if stage is None:
        chosen = mapped_stage(referral.organization, crm_stage=crm_stage, percentage=percentage)
    else:
        chosen = (
            stage
            if isinstance(stage, SalesStage)
            else SalesStage.objects.filter(code=stage).first()
        )
        if chosen is None:
            raise field_error("stage", _("Unknown sales stage."), "unknown")
        if chosen.code == WON:
            raise field_error("stage", _("Won happens only by closing the deal."), "close_to_win")
        if chosen.code == CREATED:
            chosen = None

    def mark(locked: Referral) -> str:
        if chosen is not None and chosen.code not in AUTOMATIC_STAGES:
            mark_up_to(locked, chosen, actor)
        return ""

    move = perform(
        referral=referral,
        action="stages",
        actor=actor,
        expected_version=expected_version,
        change=mark,
        data={"stage": chosen.code if chosen else None},
    )
    return move.referral
