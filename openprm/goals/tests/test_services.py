"""Plans, targets and reviews through the services: the rules of SPEC B1-B3 and B8."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from openprm.core.errors import Forbidden, PreconditionFailed
from openprm.goals.models import (
    GoalPlan,
    Metric,
    MonthlyTarget,
    TargetChange,
    TaskProgressUpdate,
)
from openprm.goals.plans import services
from openprm.goals.tests.conftest import YEAR
from openprm.goals.tests.factories import OpportunityFactory, action_task, won_on


def target(plan, metric, month):
    return MonthlyTarget.objects.get(plan=plan, metric=metric, month=month).value


@pytest.fixture
def plan(northwind, alice):
    return services.goal_plan_create(
        organization=northwind, year=YEAR, actor=alice, goals={"revenue_goal": "Grow 20 %"}
    )


@pytest.fixture
def saved_plan(plan, alice):
    """A plan whose set-up ended with "Save and exit"."""
    return services.goal_plan_set_targets(
        plan=plan, targets={(Metric.SOURCED_WON, 6): 4}, actor=alice
    )


def test_a_new_plan_has_every_target_at_zero(plan):
    assert plan.targets.count() == 48
    assert set(plan.targets.values_list("value", flat=True)) == {0}
    assert plan.revenue_goal == "Grow 20 %"


def test_plan_currency_defaults_to_the_partners_main_currency(northwind, alice):
    for _ in range(2):
        OpportunityFactory.create(organization=northwind, currency_id="JPY")
    OpportunityFactory.create(organization=northwind, currency_id="USD")
    plan = services.goal_plan_create(organization=northwind, year=YEAR, actor=alice)
    assert plan.currency_id == "JPY"


def test_plan_currency_is_usd_without_opportunities(plan):
    assert plan.currency_id == "USD"


def test_one_plan_per_partner_per_year_is_a_field_error(plan, northwind, alice):
    with pytest.raises(ValidationError) as error:
        services.goal_plan_create(organization=northwind, year=YEAR, actor=alice)
    assert "year" in error.value.message_dict


def test_the_database_refuses_a_second_plan_for_the_same_year(plan, northwind):
    with pytest.raises(IntegrityError):
        GoalPlan.objects.create(organization=northwind, year=YEAR, currency_id="USD")


def test_a_partner_user_cannot_create_a_plan(northwind, bob):
    with pytest.raises(Forbidden):
        services.goal_plan_create(organization=northwind, year=YEAR, actor=bob)


def test_another_partners_pdm_cannot_edit(plan, paula):
    with pytest.raises(Forbidden):
        services.goal_plan_update_goals(plan=plan, goals={"market_goal": "x"}, actor=paula)


def test_during_set_up_every_month_can_be_set(plan, alice):
    services.goal_plan_set_targets(plan=plan, targets={(Metric.SOURCED_WON, 1): 3}, actor=alice)
    assert target(plan, Metric.SOURCED_WON, 1) == 3


def test_every_changed_target_is_kept_with_who_and_when(saved_plan, alice):
    change = TargetChange.objects.get(plan=saved_plan)
    assert (change.metric, change.month, change.old_value, change.new_value) == (
        Metric.SOURCED_WON,
        6,
        0,
        4,
    )
    assert change.changed_by == alice
    assert change.review is None
    assert saved_plan.targets_set_at is not None


def test_after_set_up_targets_change_only_inside_a_review(saved_plan, alice):
    with pytest.raises(ValidationError) as error:
        services.goal_plan_set_targets(
            plan=saved_plan, targets={(Metric.SOURCED_WON, 6): 5}, actor=alice
        )
    assert "review_id" in error.value.message_dict
    assert target(saved_plan, Metric.SOURCED_WON, 6) == 4


def test_a_review_changes_future_months_and_the_change_names_it(saved_plan, alice, pam):
    review = services.quarterly_review_create(plan=saved_plan, quarter=2, actor=pam)
    services.goal_plan_set_targets(
        plan=saved_plan, targets={(Metric.SOURCED_WON, 6): 7}, review_id=review.pk, actor=pam
    )
    assert target(saved_plan, Metric.SOURCED_WON, 6) == 7
    change = TargetChange.objects.filter(review=review).get()
    assert (change.old_value, change.new_value, change.changed_by) == (4, 7, pam)


def test_an_ended_month_is_fixed_and_nothing_is_saved(saved_plan, alice):
    review = services.quarterly_review_create(plan=saved_plan, quarter=2, actor=alice)
    with pytest.raises(ValidationError) as error:
        services.goal_plan_set_targets(
            plan=saved_plan,
            targets={(Metric.SOURCED_WON, 4): 9, (Metric.SOURCED_WON, 6): 9},
            review_id=review.pk,
            actor=alice,
        )
    assert list(error.value.message_dict) == ["sourced_won_4"]
    assert target(saved_plan, Metric.SOURCED_WON, 4) == 0
    assert target(saved_plan, Metric.SOURCED_WON, 6) == 4


def test_a_review_saved_with_an_ended_month_keeps_neither_its_notes_nor_task_progress(
    saved_plan, alice
):
    review = services.quarterly_review_create(plan=saved_plan, quarter=2, actor=alice)
    task = action_task(saved_plan, alice)
    with pytest.raises(ValidationError) as error:
        services.quarterly_review_save(
            review=review,
            actor=alice,
            strategy_notes="Retail first",
            focus_notes="Hire",
            task_progress={task.pk: "Booked"},
            targets={(Metric.SOURCED_WON, 4): 9},
        )
    assert list(error.value.message_dict) == ["sourced_won_4"]
    review.refresh_from_db()
    assert (review.strategy_notes, review.focus_notes, review.version) == ("", "", 1)
    assert not TaskProgressUpdate.objects.exists()


def test_the_current_month_can_still_change_in_a_review(saved_plan, alice):
    review = services.quarterly_review_create(plan=saved_plan, quarter=2, actor=alice)
    services.goal_plan_set_targets(
        plan=saved_plan, targets={(Metric.SOURCED_WON, 5): 2}, review_id=review.pk, actor=alice
    )
    assert target(saved_plan, Metric.SOURCED_WON, 5) == 2


def test_resending_an_ended_months_unchanged_value_is_fine(saved_plan, alice):
    review = services.quarterly_review_create(plan=saved_plan, quarter=2, actor=alice)
    services.goal_plan_set_targets(
        plan=saved_plan, targets={(Metric.SOURCED_WON, 1): 0}, review_id=review.pk, actor=alice
    )


@pytest.mark.parametrize("value", [-1, "12", 1.5, None, True, 10**16])
def test_negative_or_non_numeric_targets_are_field_errors(plan, alice, value):
    with pytest.raises(ValidationError) as error:
        services.goal_plan_set_targets(
            plan=plan,
            targets={(Metric.SOURCED_WON, 2): value, (Metric.SOURCED_WON, 3): 5},
            actor=alice,
        )
    assert list(error.value.message_dict) == ["sourced_won_2"]
    assert target(plan, Metric.SOURCED_WON, 3) == 0
    assert not TargetChange.objects.exists()


def test_growth_fills_every_target_from_last_years_actuals(plan, northwind, alice):
    for day in (dt.date(2025, 1, 10), dt.date(2025, 1, 11)):
        won_on(day, organization=northwind, mrr_minor=10_001)
    services.goal_plan_apply_growth(plan=plan, percent=25, actor=alice)
    assert target(plan, Metric.SOURCED_WON, 1) == 3  # 2 x 1.25 = 2.5 -> 3
    assert target(plan, Metric.SOURCED_CREATED, 1) == 3
    assert target(plan, Metric.SOURCED_MRR, 1) == 25_003  # 200.02 x 1.25 = 250.025 -> 250.03
    assert target(plan, Metric.SOURCED_WON, 2) == 0


def test_growth_of_7_percent_is_a_field_error_and_nothing_is_saved(plan, northwind, alice):
    won_on(dt.date(2025, 1, 10), organization=northwind)
    with pytest.raises(ValidationError) as error:
        services.goal_plan_apply_growth(plan=plan, percent=7, actor=alice)
    assert "percent" in error.value.message_dict
    assert target(plan, Metric.SOURCED_WON, 1) == 0


def test_growth_in_a_review_leaves_ended_months_alone(saved_plan, northwind, alice):
    won_on(dt.date(2025, 1, 10), organization=northwind)
    won_on(dt.date(2025, 7, 10), organization=northwind)
    review = services.quarterly_review_create(plan=saved_plan, quarter=2, actor=alice)
    services.goal_plan_apply_growth(plan=saved_plan, percent=10, review_id=review.pk, actor=alice)
    assert target(saved_plan, Metric.SOURCED_WON, 1) == 0
    assert target(saved_plan, Metric.SOURCED_WON, 7) == 1


def test_a_review_keeps_a_snapshot_of_performance_at_review_time(saved_plan, northwind, pam):
    won_on(dt.date(2026, 5, 2), organization=northwind)
    review = services.quarterly_review_create(
        plan=saved_plan, quarter=2, actor=pam, strategy_notes="Vertical: retail"
    )
    won_on(dt.date(2026, 5, 3), organization=northwind)
    won = next(m for m in review.snapshot["metrics"] if m["metric"] == Metric.SOURCED_WON)
    assert won["periods"][4]["actual"] == 1
    assert review.strategy_notes == "Vertical: retail"


def test_one_review_per_quarter(saved_plan, alice):
    services.quarterly_review_create(plan=saved_plan, quarter=2, actor=alice)
    with pytest.raises(ValidationError) as error:
        services.quarterly_review_create(plan=saved_plan, quarter=2, actor=alice)
    assert "quarter" in error.value.message_dict


def test_plan_history_is_kept(saved_plan, alice):
    services.goal_plan_update_goals(plan=saved_plan, goals={"market_goal": "Retail"}, actor=alice)
    assert saved_plan.history.count() >= 3


def test_stale_version_is_refused(plan, alice):
    with pytest.raises(PreconditionFailed):
        services.goal_plan_update_goals(
            plan=plan, goals={"market_goal": "x"}, actor=alice, expected_version=plan.version + 1
        )
