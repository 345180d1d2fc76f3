"""/api/v1/goal-plans: plans, their monthly targets, growth, progress and quarterly reviews.

Scoped like the pages: a partner sees its own plans, a PDM those of the partners assigned to
them, the program admin all; anything else is a 404. Target values are integers: counts for the
deal metrics and minor units of the plan's currency for MRR.
"""

from dataclasses import asdict
from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.accounts.models import Organization
from openprm.core.api import (
    ERRORS,
    UPDATE_ERRORS,
    StrictSchema,
    expected_version,
    with_etag,
)
from openprm.core.errors import field_error
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.goals.models import MAX_TARGET, MONTHS, GoalPlan, Metric
from openprm.goals.plans import calc, progress, selectors, services
from openprm.goals.tasks import selectors as task_selectors
from openprm.goals.tasks import services as task_services
from openprm.goals.tasks.api import ProgressUpdateOut

# Each operation keeps the id published while the handlers lived in openprm/goals/api.py.
router = Router(tags=["goals"])

MetricName = Literal["sourced_created", "sourced_won", "sourced_mrr", "assisted_mrr"]
GoalText = Field(default=None, max_length=5000)


class GoalPlanOut(Schema):
    id: int
    partner_id: int = Field(alias="organization_id")
    partner_name: str = Field(alias="organization.name")
    year: int
    currency: str = Field(alias="currency_id")
    organizational_goal: str
    revenue_goal: str
    people_goal: str
    market_goal: str
    partnership_goal: str
    targets_set_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class GoalPlanCreateIn(StrictSchema):
    partner_id: int | None = Field(default=None, description="Required for vendor staff.")
    year: int = Field(ge=2000, le=2100)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    organizational_goal: str = Field(default="", max_length=5000)
    revenue_goal: str = Field(default="", max_length=5000)
    people_goal: str = Field(default="", max_length=5000)
    market_goal: str = Field(default="", max_length=5000)
    partnership_goal: str = Field(default="", max_length=5000)


class GoalPlanUpdateIn(StrictSchema):
    organizational_goal: str | None = GoalText
    revenue_goal: str | None = GoalText
    people_goal: str | None = GoalText
    market_goal: str | None = GoalText
    partnership_goal: str | None = GoalText


class TargetOut(Schema):
    metric: MetricName
    month: int
    value: int
    previous_actual: int
    locked: bool


class TargetsOut(Schema):
    plan_id: int
    year: int
    currency: str
    version: int
    in_setup: bool
    targets: list[TargetOut]


class TargetIn(StrictSchema):
    metric: MetricName
    month: int = Field(ge=1, le=12)
    value: int = Field(ge=0, le=MAX_TARGET, strict=True)


class TargetsIn(StrictSchema):
    targets: list[TargetIn] = Field(max_length=48)
    review_id: int | None = Field(
        default=None, description="Required once the plan is saved: the review of the change."
    )


class GrowthIn(StrictSchema):
    percent: int = Field(strict=True, description="5, 10, 15, 20, 25 or 30.")
    review_id: int | None = None


class CellOut(Schema):
    period: int
    actual: int
    target: int
    percent: int | None


class PaceOut(Schema):
    projected_actual: int
    projected_percent: int | None
    behind: bool


class MetricProgressOut(Schema):
    metric: MetricName
    label: str
    is_money: bool
    periods: list[CellOut]
    year: CellOut
    to_date: CellOut
    pace: PaceOut | None


class ProgressOut(Schema):
    period: Literal["month", "quarter"]
    currency: str
    unconverted: int
    behind_pace: bool
    metrics: list[MetricProgressOut]


class ReviewOut(Schema):
    id: int
    plan_id: int
    quarter: int
    strategy_notes: str
    focus_notes: str
    snapshot: dict[str, Any]
    created_by_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class ReviewIn(StrictSchema):
    quarter: int = Field(ge=1, le=4, strict=True)
    strategy_notes: str = Field(default="", max_length=10000)
    focus_notes: str = Field(default="", max_length=10000)


class ReviewUpdateIn(StrictSchema):
    strategy_notes: str | None = Field(default=None, max_length=10000)
    focus_notes: str | None = Field(default=None, max_length=10000)


class PlanFilters(Schema):
    year: int | None = None


def partner_for_create(request: MemberRequest, partner_id: int | None) -> Organization:
    user = request.user
    if partner_id is None:
        if user.is_partner and user.organization is not None:
            return user.organization
        raise field_error("partner_id", _("Name the partner this plan is for."), "required")
    return selectors.partner_get(user=user, partner_id=partner_id)


def targets_body(plan: GoalPlan) -> dict[str, Any]:
    today = selectors.today()
    values = selectors.plan_targets(plan=plan)
    previous = selectors.previous_year_actuals(plan=plan).values
    in_setup = plan.targets_set_at is None
    return {
        "plan_id": plan.pk,
        "year": plan.year,
        "currency": plan.currency_id,
        "version": plan.version,
        "in_setup": in_setup,
        "targets": [
            {
                "metric": metric,
                "month": month,
                "value": values[metric][month],
                "previous_actual": previous[metric][month],
                "locked": not in_setup and calc.month_has_ended(plan.year, month, today),
            }
            for metric in Metric.values
            for month in MONTHS
        ],
    }


@router.get(
    "/goal-plans",
    response={200: list[GoalPlanOut], **ERRORS},
    operation_id="openprm_goals_api_list_plans",
)
@paginate(LimitOffsetPagination)
def list_plans(request: MemberRequest, filters: Query[PlanFilters]):
    return selectors.plans_for_user(user=request.user, year=filters.year)


@router.post(
    "/goal-plans",
    response={201: GoalPlanOut, **ERRORS},
    operation_id="openprm_goals_api_create_plan",
)
def create_plan(request: MemberRequest, response: HttpResponse, payload: GoalPlanCreateIn):
    partner = partner_for_create(request, payload.partner_id)
    goals = payload.dict(exclude={"partner_id", "year", "currency"})
    plan = services.goal_plan_create(
        organization=partner,
        year=payload.year,
        currency=payload.currency,
        goals=goals,
        actor=request.user,
    )
    return Status(201, with_etag(response, plan))


@router.get(
    "/goal-plans/{plan_id}",
    response={200: GoalPlanOut, **ERRORS},
    operation_id="openprm_goals_api_get_plan",
)
def get_plan(request: MemberRequest, response: HttpResponse, plan_id: int):
    return with_etag(response, selectors.plan_get(user=request.user, plan_id=plan_id))


@router.patch(
    "/goal-plans/{plan_id}",
    response={200: GoalPlanOut, **UPDATE_ERRORS},
    operation_id="openprm_goals_api_update_plan",
)
def update_plan(
    request: MemberRequest, response: HttpResponse, plan_id: int, payload: GoalPlanUpdateIn
):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    goals = {k: v for k, v in payload.dict().items() if v is not None}
    plan = services.goal_plan_update_goals(
        plan=plan, goals=goals, actor=request.user, expected_version=expected_version(request)
    )
    return with_etag(response, selectors.plan_get(user=request.user, plan_id=plan.pk))


@router.get(
    "/goal-plans/{plan_id}/targets",
    response={200: TargetsOut, **ERRORS},
    operation_id="openprm_goals_api_get_targets",
)
def get_targets(request: MemberRequest, response: HttpResponse, plan_id: int):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    with_etag(response, plan)
    return targets_body(plan)


def body_paths(exc: ValidationError, targets: list[TargetIn]) -> ValidationError:
    """A cell's error under the body's own path (targets.<i>.value), as pydantic names its
    errors, rather than the grid's field name."""
    if not hasattr(exc, "error_dict"):
        return exc
    paths = {
        services.target_field(t.metric, t.month): f"targets.{i}.value"
        for i, t in enumerate(targets)
    }
    return ValidationError(
        {paths.get(name, name): errors for name, errors in exc.error_dict.items()}
    )


@router.put(
    "/goal-plans/{plan_id}/targets",
    response={200: TargetsOut, **UPDATE_ERRORS},
    operation_id="openprm_goals_api_put_targets",
)
def put_targets(request: MemberRequest, response: HttpResponse, plan_id: int, payload: TargetsIn):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    try:
        plan = services.goal_plan_set_targets(
            plan=plan,
            targets={(t.metric, t.month): t.value for t in payload.targets},
            review_id=payload.review_id,
            actor=request.user,
            expected_version=expected_version(request),
        )
    except ValidationError as exc:
        raise body_paths(exc, payload.targets) from None
    plan = selectors.plan_get(user=request.user, plan_id=plan.pk)
    with_etag(response, plan)
    return targets_body(plan)


@router.post(
    "/goal-plans/{plan_id}/apply-growth",
    response={200: TargetsOut, **UPDATE_ERRORS},
    operation_id="openprm_goals_api_apply_growth",
)
def apply_growth(request: MemberRequest, response: HttpResponse, plan_id: int, payload: GrowthIn):
    """Fill the targets as the previous year's actual x (1 + percent / 100)."""
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    plan = services.goal_plan_apply_growth(
        plan=plan,
        percent=payload.percent,
        review_id=payload.review_id,
        actor=request.user,
        expected_version=expected_version(request),
    )
    plan = selectors.plan_get(user=request.user, plan_id=plan.pk)
    with_etag(response, plan)
    return targets_body(plan)


@router.get(
    "/goal-plans/{plan_id}/progress",
    response={200: ProgressOut, **ERRORS},
    operation_id="openprm_goals_api_get_progress",
)
def get_progress(
    request: MemberRequest, plan_id: int, period: Literal["month", "quarter"] = "month"
):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    result = progress.plan_progress(plan=plan, period=period)
    return {**asdict(result), "behind_pace": result.behind_pace}


@router.get(
    "/goal-plans/{plan_id}/reviews",
    response={200: list[ReviewOut], **ERRORS},
    operation_id="openprm_goals_api_list_reviews",
)
@paginate(LimitOffsetPagination)
def list_reviews(request: MemberRequest, plan_id: int):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    return selectors.plan_reviews(plan=plan)


@router.post(
    "/goal-plans/{plan_id}/reviews",
    response={201: ReviewOut, **ERRORS},
    operation_id="openprm_goals_api_create_review",
)
def create_review(request: MemberRequest, response: HttpResponse, plan_id: int, payload: ReviewIn):
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    review = services.quarterly_review_create(
        plan=plan,
        quarter=payload.quarter,
        strategy_notes=payload.strategy_notes,
        focus_notes=payload.focus_notes,
        actor=request.user,
    )
    return Status(201, with_etag(response, review))


@router.get(
    "/goal-plans/{plan_id}/reviews/{review_id}",
    response={200: ReviewOut, **ERRORS},
    operation_id="openprm_goals_api_get_review",
)
def get_review(request: MemberRequest, response: HttpResponse, plan_id: int, review_id: int):
    review = selectors.review_get(user=request.user, review_id=review_id, plan_id=plan_id)
    return with_etag(response, review)


@router.patch(
    "/goal-plans/{plan_id}/reviews/{review_id}",
    response={200: ReviewOut, **UPDATE_ERRORS},
    operation_id="openprm_goals_api_update_review",
)
def update_review(
    request: MemberRequest,
    response: HttpResponse,
    plan_id: int,
    review_id: int,
    payload: ReviewUpdateIn,
):
    review = selectors.review_get(user=request.user, review_id=review_id, plan_id=plan_id)
    review = services.quarterly_review_update(
        review=review,
        strategy_notes=payload.strategy_notes,
        focus_notes=payload.focus_notes,
        actor=request.user,
        expected_version=expected_version(request),
    )
    return with_etag(response, review)


class ReviewTaskUpdateIn(StrictSchema):
    task_id: int
    text: str = Field(min_length=1, max_length=5000)


class ReviewTaskUpdatesIn(StrictSchema):
    updates: list[ReviewTaskUpdateIn] = Field(min_length=1, max_length=200)


@router.get(
    "/goal-plans/{plan_id}/reviews/{review_id}/task-updates",
    response={200: list[ProgressUpdateOut], **ERRORS},
    operation_id="openprm_goals_api_list_review_task_updates",
)
@paginate(LimitOffsetPagination)
def list_review_task_updates(request: MemberRequest, plan_id: int, review_id: int):
    """B8: the progress of the plan's tasks recorded in this review."""
    review = selectors.review_get(user=request.user, review_id=review_id, plan_id=plan_id)
    return task_selectors.review_task_updates(review=review)


@router.post(
    "/goal-plans/{plan_id}/reviews/{review_id}/task-updates",
    response={201: list[ProgressUpdateOut], **ERRORS},
    operation_id="openprm_goals_api_add_review_task_updates",
)
def add_review_task_updates(
    request: MemberRequest, plan_id: int, review_id: int, payload: ReviewTaskUpdatesIn
):
    """Record the progress of open tasks in the review; a task that is not an open task of
    this plan is a field error and nothing is saved."""
    review = selectors.review_get(user=request.user, review_id=review_id, plan_id=plan_id)
    texts = {update.task_id: update.text for update in payload.updates}
    return Status(
        201, task_services.review_task_progress(review=review, actor=request.user, texts=texts)
    )
