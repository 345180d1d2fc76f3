"""The standard sales stages (D6) as a referral's page and its services read them."""

from django.db.models import QuerySet

from openprm.referrals.models import WON, Referral, SalesStage


def sales_stages() -> QuerySet[SalesStage]:
    return SalesStage.objects.order_by("position")


def missing_stages_for_win(referral: Referral) -> list[SalesStage]:
    """For solution assessments every stage before Won must be complete (D6)."""
    won = stage_by_code(WON)
    marked = set(referral.stage_marks.values_list("stage_id", flat=True))
    return [s for s in sales_stages() if s.position < won.position and s.pk not in marked]


def stage_by_code(code: str) -> SalesStage:
    return SalesStage.objects.get(code=code)
