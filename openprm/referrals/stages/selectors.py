"""The standard sales stages (D6) as a referral's page and its services read them."""

from typing import Any

from django.db.models import QuerySet

from openprm.referrals.models import AUTOMATIC_STAGES, WON, Referral, SalesStage


def sales_stages() -> QuerySet[SalesStage]:
    return SalesStage.objects.order_by("position")


def missing_stages_for_win(referral: Referral) -> list[SalesStage]:
    """For solution assessments every stage before Won must be complete (D6)."""
    won = stage_by_code(WON)
    marked = set(referral.stage_marks.values_list("stage_id", flat=True))
    return [s for s in sales_stages() if s.position < won.position and s.pk not in marked]


def stage_by_code(code: str) -> SalesStage:
    return SalesStage.objects.get(code=code)


def stage_track(referral: Referral) -> list[dict[str, Any]]:
    """Every standard stage, in order, with whether it is complete."""
    marked = {mark.stage_id for mark in referral.stage_marks.all()}
    return [{"stage": stage, "complete": stage.pk in marked} for stage in sales_stages()]


def markable_stages(referral: Referral) -> QuerySet[SalesStage]:
    """Stages above the current one that a person marks; Won happens only by closing."""
    current = referral.stage.position if referral.stage else -1
    return sales_stages().exclude(code__in=AUTOMATIC_STAGES).filter(position__gt=current)
