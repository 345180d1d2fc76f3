"""The demo's Mutual Action Plans: two years for several partners, one ahead of pace and one
behind, past reviews, and tasks whose reminders fall in the coming days."""

import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone

from openprm.demo.generator import load
from openprm.goals.models import ActionTask, GoalPlan, QuarterlyReview, TaskTemplate
from openprm.goals.plans import progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load(say=lambda line: None, scale=0.3)


def plan_of(slug: str, year: int) -> GoalPlan:
    return GoalPlan.objects.get(organization__slug=slug, year=year)


def test_several_partners_have_plans_for_this_year_and_some_for_last_year(demo):
    year = timezone.localdate().year
    assert GoalPlan.objects.filter(year=year).count() >= 3
    assert GoalPlan.objects.filter(year=year - 1).count() >= 2


def test_one_partner_is_ahead_of_pace_and_one_behind(demo):
    year = timezone.localdate().year
    assert not progress.plan_progress(plan=plan_of("northwind-traders", year)).behind_pace
    assert progress.plan_progress(plan=plan_of("tailspin-toys", year)).behind_pace


def test_last_years_plans_have_four_reviews(demo):
    last = plan_of("northwind-traders", timezone.localdate().year - 1)
    assert sorted(QuarterlyReview.objects.filter(plan=last).values_list("quarter", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_open_tasks_have_reminders_in_the_coming_days(demo):
    now = timezone.now()
    upcoming = ActionTask.objects.filter(
        done=False, remind_at__gt=now, remind_at__lt=now + timedelta(days=7)
    )
    assert upcoming.exists()
    assert TaskTemplate.objects.count() == 5


def test_past_reviews_are_dated_in_their_quarter_and_change_future_months(demo):
    review = QuarterlyReview.objects.get(
        plan=plan_of("northwind-traders", timezone.localdate().year - 1), quarter=2
    )
    assert review.created_at.date().month == 6
    changed = sorted((c.month, c.new_value - c.old_value) for c in review.target_changes.all())
    assert changed[0] == (7, 1)
    assert changed[1][0] > 7
    assert changed[1][1] == -1
    assert all(c.changed_at == review.created_at for c in review.target_changes.all())


def test_tasks_are_due_at_nine_where_their_assignee_works(demo):
    for task in ActionTask.objects.filter(done=False).select_related("assignee"):
        local = timezone.localtime(task.due_at, zoneinfo.ZoneInfo(task.assignee.timezone))
        assert (local.hour, local.minute) == (9, 0)


def test_last_years_plans_have_targets_across_the_year(demo):
    last = plan_of("northwind-traders", timezone.localdate().year - 1)
    months = set(last.targets.filter(value__gt=0).values_list("month", flat=True))
    assert len(months) >= 9
