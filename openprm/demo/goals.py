"""Mutual Action Plans of the demo (SPEC B1-B8): last year's and this year's plans for several
partners, with targets drawn from their real actuals (one partner ahead of pace, one behind),
past quarterly reviews, the vendor's default tasks, and action tasks whose reminders fall in
the coming days (the worker, or the sweep, sends them when they come).
"""

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from openprm.demo.context import Demo, PartnerBook
from openprm.goals.models import (
    MONTHS,
    ActionTask,
    GoalPlan,
    Metric,
    MonthlyTarget,
    QuarterlyReview,
    Reminder,
    TargetChange,
    TaskPriority,
    TaskProgressUpdate,
    TaskTemplate,
    TaskType,
)
from openprm.goals.plans import calc, progress, selectors

# Partner slug -> the year-end attainment its current run rate projects, in percent: the year's
# targets are set from it, shaped like last year's months.
THIS_YEAR_PACE = {
    "northwind-traders": 115,  # ahead of pace
    "tailspin-toys": 60,  # behind pace
    "fabrikam": 100,
    "adventure-works": 95,
}
# These partners also have last year's plan, with its four reviews.
WITH_LAST_YEAR = {"northwind-traders", "tailspin-toys"}

DEFAULT_TASKS = [
    ("Plan a joint webinar with the vendor", TaskType.TODO, TaskPriority.MEDIUM, 21),
    ("Call your top five customers about renewals", TaskType.CALL, TaskPriority.HIGH, 7),
    ("Email the new product sheet to open opportunities", TaskType.EMAIL, TaskPriority.LOW, 3),
    ("Complete the sales certification", TaskType.TODO, TaskPriority.MEDIUM, 30),
    ("Register every open deal in the portal", TaskType.TODO, TaskPriority.HIGH, 14),
]

GOALS = {
    "organizational_goal": "Grow the practice into a second region within 12 months.",
    "revenue_goal": "Increase recurring revenue by 20% in the next 12 months.",
    "people_goal": "Hire a new sales rep and certify two engineers in the next 6 months.",
    "market_goal": "Expand into the public-sector vertical.",
    "partnership_goal": "Reach the next tier in the next 3 months.",
}

REVIEW_NOTES = [
    ("Keep the focus on renewals; shift budget from events to webinars.", "Renewals"),
    ("Add a second webinar a month; pair the new rep with the PDM.", "Pipeline for Q3"),
    ("Stop chasing small deals below the average sales price.", "Larger deals"),
    ("Plan next year's goals with the PDM.", "Close the year"),
]

TASK_TITLES = [
    ("Call Contoso about the renewal", TaskType.CALL, TaskPriority.HIGH),
    ("Email the pricing sheet to Fourth Coffee", TaskType.EMAIL, TaskPriority.MEDIUM),
    ("Prepare the quarterly business review", TaskType.TODO, TaskPriority.HIGH),
    ("Book the joint webinar date with the PDM", TaskType.TODO, TaskPriority.LOW),
    ("Follow up on the three stalled proposals", TaskType.CALL, TaskPriority.MEDIUM),
]


def build_task_templates(demo: Demo) -> None:
    TaskTemplate.objects.bulk_create(
        TaskTemplate(title=title, task_type=kind, priority=priority, due_in_days=days, position=i)
        for i, (title, kind, priority, days) in enumerate(DEFAULT_TASKS)
    )
    demo.count("default tasks", len(DEFAULT_TASKS))


def scaled(grid: dict[str, dict[int, int]], percent: int) -> dict[tuple[str, int], int]:
    return {
        (metric, month): calc.round_half_up_ratio(grid[metric][month] * percent, 100)
        for metric in Metric.values
        for month in MONTHS
    }


# A previous year with fewer active months than this is the start of the demo's history (its
# opportunities begin in the last weeks of a year), too thin to shape a year of targets.
MIN_HISTORY_MONTHS = 6


def active_months(grid: dict[str, dict[int, int]]) -> int:
    return sum(any(grid[metric][month] for metric in grid) for month in MONTHS)


def add_plan(demo: Demo, book: PartnerBook, year: int, percent: int) -> GoalPlan:
    """A plan whose targets are `percent` of the previous year's actuals (of this year's own
    actuals when the history does not reach back that far, or only by a few weeks)."""
    org = book.org
    currency = selectors.default_currency_code(organization=org)
    plan = GoalPlan.objects.create(
        organization=org,
        year=year,
        currency_id=currency,
        created_by=book.admin,
        targets_set_at=timezone.make_aware(datetime(year, 1, 10, 9), UTC),
        **GOALS,
    )
    base = selectors.opportunity_actuals(organization=org, year=year - 1, currency=currency)
    if active_months(base.values) < MIN_HISTORY_MONTHS:
        base = selectors.opportunity_actuals(organization=org, year=year, currency=currency)
    targets = scaled(base.values, percent)
    MonthlyTarget.objects.bulk_create(
        MonthlyTarget(plan=plan, metric=metric, month=month, value=value)
        for (metric, month), value in targets.items()
    )
    demo.count("goal plans", 1)
    return plan


def set_pace(demo: Demo, plan: GoalPlan, attainment: int) -> None:
    """Targets whose year total the current run rate reaches to `attainment` percent. A metric
    with nothing yet this year keeps its targets when the partner is to be behind, and gets none
    when it is to be ahead (a target of 0 shows no percentage and no pace)."""
    taken = progress.plan_progress(plan=plan, today=demo.today)
    rows = {(t.metric, t.month): t for t in plan.targets.all()}
    for metric in taken.metrics:
        if metric.pace is None or (metric.pace.projected_actual == 0 and attainment < 100):
            continue
        year_target = calc.round_half_up_ratio(metric.pace.projected_actual * 100, attainment)
        shape = {month: rows[(metric.metric, month)].value for month in MONTHS}
        total = sum(shape.values())
        for month in MONTHS:
            weight, whole = (shape[month], total) if total else (1, len(MONTHS))
            rows[(metric.metric, month)].value = calc.round_half_up_ratio(
                year_target * weight, whole
            )
    MonthlyTarget.objects.bulk_update(rows.values(), ["value"])


def rephase(plan: GoalPlan, review: QuarterlyReview, held: datetime) -> None:
    """What a review typically changes: one deal of a later month's target is brought forward
    to the first month after the review (the year's total, and so the pace, stays)."""
    if review.quarter == 4:
        return
    next_month = review.quarter * 3 + 1
    rows = list(plan.targets.filter(metric=Metric.SOURCED_CREATED, month__gte=next_month))
    sooner = next(t for t in rows if t.month == next_month)
    later = max((t for t in rows if t.month > next_month), key=lambda t: (t.value, t.month))
    if later.value == 0:
        return
    changes = []
    for target, delta in ((sooner, 1), (later, -1)):
        changes.append(
            TargetChange(
                plan=plan,
                review=review,
                metric=target.metric,
                month=target.month,
                old_value=target.value,
                new_value=target.value + delta,
                changed_by=review.created_by,
            )
        )
        target.value += delta
    MonthlyTarget.objects.bulk_update([sooner, later], ["value"])
    created = TargetChange.objects.bulk_create(changes)
    TargetChange.objects.filter(pk__in=[c.pk for c in created]).update(changed_at=held)


def add_reviews(demo: Demo, plan: GoalPlan, quarters: int) -> list[QuarterlyReview]:
    """Reviews held near the end of each quarter, dated then, with the snapshot of that day."""
    reviews = []
    for quarter in range(1, quarters + 1):
        day = date(plan.year, quarter * 3, 1) + timedelta(days=27)
        held = datetime.combine(min(day, demo.today), time(10), tzinfo=UTC)
        taken = progress.plan_progress(plan=plan, today=held.date())
        strategy, focus = REVIEW_NOTES[quarter - 1]
        review = QuarterlyReview.objects.create(
            plan=plan,
            quarter=quarter,
            strategy_notes=strategy,
            focus_notes=focus,
            snapshot=progress.snapshot(taken, held.isoformat()),
            created_by=plan.organization.pdm,
        )
        QuarterlyReview.objects.filter(pk=review.pk).update(created_at=held, updated_at=held)
        rephase(plan, review, held)
        reviews.append(review)
    demo.count("quarterly reviews", len(reviews))
    return reviews


def add_tasks(
    demo: Demo, book: PartnerBook, plan: GoalPlan, review: QuarterlyReview | None
) -> None:
    """Open tasks due over the next weeks with reminders in the coming days, and done ones."""
    now = timezone.now().replace(second=0, microsecond=0)
    people = [book.admin, *([book.org.pdm] if book.org.pdm else [])]
    tasks = []
    for i, (title, kind, priority) in enumerate(TASK_TITLES):
        done = i == len(TASK_TITLES) - 1
        assignee = people[i % len(people)]
        # Due at nine in the morning where the assignee works.
        zone = zoneinfo.ZoneInfo(assignee.timezone or "UTC")
        day = demo.today + timedelta(days=2 + 3 * i)
        due = datetime.combine(day, time(9), tzinfo=zone).astimezone(UTC)
        remind_at = None if done else max(due - timedelta(days=1), now + timedelta(hours=2))
        tasks.append(
            ActionTask(
                plan=plan,
                title=title,
                task_type=kind,
                priority=priority,
                assignee=assignee,
                due_at=due - timedelta(days=20) if done else due,
                done=done,
                completed_at=now - timedelta(days=18) if done else None,
                reminder=Reminder.NONE if done else Reminder.CUSTOM,
                remind_at=remind_at,
                notes="Agreed with the PDM in the last review." if i % 2 == 0 else "",
                created_by=book.admin,
            )
        )
    ActionTask.objects.bulk_create(tasks)
    TaskProgressUpdate.objects.bulk_create(
        TaskProgressUpdate(
            task=task, text="First call held; waiting for the buyer.", review=review,
            created_by=task.assignee,
        )
        for task in tasks[:2]
    )  # fmt: skip
    demo.count("action tasks", len(tasks))


def build_goals(demo: Demo) -> None:
    build_task_templates(demo)
    this_year = demo.today.year
    ended_quarters = (demo.today.month - 1) // 3
    for book in demo.partners:
        attainment = THIS_YEAR_PACE.get(book.org.slug)
        if attainment is None:
            continue
        if book.org.slug in WITH_LAST_YEAR:
            last = add_plan(demo, book, this_year - 1, 105)
            add_reviews(demo, last, 4)
        plan = add_plan(demo, book, this_year, 110)
        set_pace(demo, plan, attainment)
        reviews = add_reviews(demo, plan, ended_quarters)
        add_tasks(demo, book, plan, reviews[-1] if reviews else None)
