"""Writes for goals: plans, their targets and quarterly reviews (SPEC B1-B3, B8).

Targets are open while a plan is being set up; from the first save on, a month that has ended
is fixed and the others change inside a quarterly review. Each changed cell is a TargetChange
row (who, when, which review); the plan's own history is kept by django-simple-history.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.core.errors import Forbidden, NotFound, field_error
from openprm.core.events import record_event
from openprm.crm.models import Currency
from openprm.goals.models import (
    GOAL_FIELDS,
    MAX_TARGET,
    MONTHS,
    GoalPlan,
    Metric,
    MonthlyTarget,
    QuarterlyReview,
    TargetChange,
)
from openprm.goals.plans import calc, progress, selectors
from openprm.goals.tasks import services as task_services

TargetKey = tuple[str, int]


def target_field(metric: str, month: int) -> str:
    """The one name of a grid cell, in forms and in API errors."""
    return f"{metric}_{month}"


def ensure_can_edit(*, user: User, organization: Organization) -> None:
    if not selectors.can_edit_plans_of(user=user, organization=organization):
        raise Forbidden(_("Only the partner admin and the partner's PDM change this plan."))


def locked_plan(plan: GoalPlan, expected_version: int | None) -> GoalPlan:
    locked = GoalPlan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
    locked.check_version(expected_version)
    return locked


@transaction.atomic
def goal_plan_create(
    *,
    organization: Organization,
    year: int,
    actor: User,
    currency: str | None = None,
    goals: Mapping[str, str] | None = None,
) -> GoalPlan:
    """A partner's plan for a year with every target at 0 until step 2 fills them."""
    ensure_can_edit(user=actor, organization=organization)
    code = currency or selectors.default_currency_code(organization=organization)
    if not Currency.objects.filter(code=code).exists():
        raise field_error("currency", _("Choose one of the program's currencies."))
    plan = GoalPlan(
        organization=organization, year=year, currency_id=code, created_by=actor, **(goals or {})
    )
    plan.full_clean(validate_constraints=False)
    if GoalPlan.objects.filter(organization=organization, year=year).exists():
        raise field_error("year", _("This partner already has a plan for that year."), "duplicate")
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise field_error(
            "year", _("This partner already has a plan for that year."), "duplicate"
        ) from None
    MonthlyTarget.objects.bulk_create(
        MonthlyTarget(plan=plan, metric=metric, month=month, value=0)
        for metric in Metric.values
        for month in MONTHS
    )
    record_event(
        kind="goal_plan.created",
        obj=plan,
        actor=actor,
        organization=organization,
        data={"year": year, "currency": code},
    )
    return plan


@transaction.atomic
def goal_plan_update_goals(
    *, plan: GoalPlan, goals: Mapping[str, str], actor: User, expected_version: int | None = None
) -> GoalPlan:
    ensure_can_edit(user=actor, organization=plan.organization)
    plan = locked_plan(plan, expected_version)
    changed = [name for name in GOAL_FIELDS if name in goals and goals[name] != getattr(plan, name)]
    for name in changed:
        setattr(plan, name, goals[name])
    if changed:
        plan.full_clean(validate_constraints=False)
        plan.bump_version()
        plan.save()
        record_event(
            kind="goal_plan.goals_updated",
            obj=plan,
            actor=actor,
            organization=plan.organization,
            data={"fields": changed},
        )
    return plan


def check_target_values(targets: Mapping[TargetKey, Any]) -> dict[TargetKey, int]:
    """Whole, non-negative numbers for known cells; every bad cell is named."""
    errors: dict[str, list[ValidationError]] = {}
    clean: dict[TargetKey, int] = {}
    for (metric, month), value in targets.items():
        name = target_field(metric, month)
        if metric not in Metric.values or month not in MONTHS:
            errors[name] = [ValidationError(_("No such target."), code="unknown_target")]
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[name] = [ValidationError(_("Enter a whole number."), code="not_a_number")]
        elif value < 0:
            errors[name] = [ValidationError(_("A target cannot be negative."), code="negative")]
        elif value > MAX_TARGET:
            errors[name] = [ValidationError(_("This target is too large."), code="too_large")]
        else:
            clean[(metric, month)] = value
    if errors:
        raise ValidationError(errors)
    return clean


def named_review(*, plan: GoalPlan, review_id: int | None, actor: User) -> QuarterlyReview | None:
    """The review a change of targets is made in, named by its id: one of this plan's."""
    if review_id is None:
        return None
    try:
        return selectors.review_get(user=actor, review_id=review_id, plan_id=plan.pk)
    except NotFound:
        raise field_error("review_id", _("No such review of this plan."), "not_found") from None


def goal_plan_set_targets(
    *,
    plan: GoalPlan,
    targets: Mapping[TargetKey, Any],
    actor: User,
    review_id: int | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> GoalPlan:
    """Change the cells given; all or nothing. The first save ends the plan's set-up."""
    review = named_review(plan=plan, review_id=review_id, actor=actor)
    return set_targets(
        plan=plan,
        targets=targets,
        actor=actor,
        review=review,
        expected_version=expected_version,
        today=today,
    )


@transaction.atomic
def set_targets(
    *,
    plan: GoalPlan,
    targets: Mapping[TargetKey, Any],
    actor: User,
    review: QuarterlyReview | None,
    expected_version: int | None = None,
    today: date | None = None,
) -> GoalPlan:
    ensure_can_edit(user=actor, organization=plan.organization)
    values = check_target_values(targets)
    plan = locked_plan(plan, expected_version)
    today = today or selectors.today()
    current = {(t.metric, t.month): t for t in plan.targets.all()}
    changed = {key: v for key, v in values.items() if current[key].value != v}
    in_setup = plan.targets_set_at is None
    if changed and not in_setup:
        if review is None:
            raise field_error(
                "review_id",
                _("Once the plan is saved, targets change inside a quarterly review."),
                "review_required",
            )
        ended = {
            target_field(metric, month): [
                ValidationError(_("This month has ended; its target is fixed."), code="locked")
            ]
            for metric, month in changed
            if calc.month_has_ended(plan.year, month, today)
        }
        if ended:
            raise ValidationError(ended)
    for key, value in changed.items():
        target = current[key]
        TargetChange.objects.create(
            plan=plan,
            review=review,
            metric=key[0],
            month=key[1],
            old_value=target.value,
            new_value=value,
            changed_by=actor,
        )
        target.value = value
    MonthlyTarget.objects.bulk_update([current[key] for key in changed], ["value"])
    if changed or in_setup:
        plan.targets_set_at = plan.targets_set_at or timezone.now()
        plan.bump_version()
        plan.save()
        record_event(
            kind="goal_plan.targets_set",
            obj=plan,
            actor=actor,
            organization=plan.organization,
            data={"cells": len(changed), "review": review.pk if review else None},
        )
    return plan


def grown_targets(*, plan: GoalPlan, percent: int, field: str = "percent") -> dict[TargetKey, int]:
    """Every cell as the previous year's actual x (1 + g); the page and the API share it."""
    calc.check_growth(percent, field)
    previous = selectors.previous_year_actuals(plan=plan).values
    return {
        (metric, month): calc.grow(previous[metric][month], percent)
        for metric in Metric.values
        for month in MONTHS
    }


def goal_plan_apply_growth(
    *,
    plan: GoalPlan,
    percent: int,
    actor: User,
    review_id: int | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> GoalPlan:
    """Apply growth to the months that may still change (all of them during set-up)."""
    review = named_review(plan=plan, review_id=review_id, actor=actor)
    ensure_can_edit(user=actor, organization=plan.organization)
    grown = grown_targets(plan=plan, percent=percent)
    today = today or selectors.today()
    if plan.targets_set_at is not None:
        grown = {
            key: value
            for key, value in grown.items()
            if not calc.month_has_ended(plan.year, key[1], today)
        }
    return set_targets(
        plan=plan,
        targets=grown,
        actor=actor,
        review=review,
        expected_version=expected_version,
        today=today,
    )


@transaction.atomic
def quarterly_review_create(
    *,
    plan: GoalPlan,
    quarter: int,
    actor: User,
    strategy_notes: str = "",
    focus_notes: str = "",
) -> QuarterlyReview:
    """A quarter's review, with a snapshot of performance against targets at this moment."""
    ensure_can_edit(user=actor, organization=plan.organization)
    if quarter not in range(1, 5):
        raise field_error("quarter", _("Choose a quarter from 1 to 4."))
    if QuarterlyReview.objects.filter(plan=plan, quarter=quarter).exists():
        raise field_error("quarter", _("This quarter already has a review."), "duplicate")
    taken = progress.plan_progress(plan=plan)
    review = QuarterlyReview(
        plan=plan,
        quarter=quarter,
        strategy_notes=strategy_notes,
        focus_notes=focus_notes,
        snapshot=progress.snapshot(taken, timezone.now().isoformat()),
        created_by=actor,
    )
    review.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise field_error("quarter", _("This quarter already has a review."), "duplicate") from None
    record_event(
        kind="goal_plan.review_created",
        obj=review,
        actor=actor,
        organization=plan.organization,
        data={"quarter": quarter},
    )
    return review


@transaction.atomic
def quarterly_review_update(
    *,
    review: QuarterlyReview,
    actor: User,
    strategy_notes: str | None = None,
    focus_notes: str | None = None,
    expected_version: int | None = None,
) -> QuarterlyReview:
    ensure_can_edit(user=actor, organization=review.plan.organization)
    locked = QuarterlyReview.objects.select_for_update().get(pk=review.pk)
    locked.check_version(expected_version)
    if strategy_notes is not None:
        locked.strategy_notes = strategy_notes
    if focus_notes is not None:
        locked.focus_notes = focus_notes
    locked.full_clean(validate_constraints=False)
    locked.bump_version()
    locked.save()
    record_event(
        kind="goal_plan.review_updated",
        obj=locked,
        actor=actor,
        organization=review.plan.organization,
    )
    return locked


@transaction.atomic
def quarterly_review_save(
    *,
    review: QuarterlyReview,
    actor: User,
    strategy_notes: str,
    focus_notes: str,
    task_progress: Mapping[int, str],
    targets: Mapping[TargetKey, Any],
) -> QuarterlyReview:
    """The review page's one save, all or nothing: its notes, the progress of the plan's open
    tasks, and the targets of the months still ahead."""
    saved = quarterly_review_update(
        review=review, actor=actor, strategy_notes=strategy_notes, focus_notes=focus_notes
    )
    task_services.review_task_progress(review=review, actor=actor, texts=task_progress)
    set_targets(plan=review.plan, targets=targets, review=review, actor=actor)
    return saved
