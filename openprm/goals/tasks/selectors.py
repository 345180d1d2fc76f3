"""Reads for action tasks, always through the plan's scope: a task is visible exactly where
its plan is (the partner's members, its PDM, the program admin); anything else is a 404."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from openprm.accounts.models import Membership, Organization, User
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.errors import NotFound
from openprm.goals.models import (
    ActionTask,
    GoalPlan,
    QuarterlyReview,
    TaskProgressUpdate,
    TaskTemplate,
)

DUE_FILTERS = ("overdue", "today", "week", "later")


@dataclass
class TaskFilters:
    status: str = "open"  # open, done or all
    assignee_id: int | None = None
    due: str | None = None  # one of DUE_FILTERS
    plan_id: int | None = None


def assignable_users(*, organization: Organization) -> QuerySet[User]:
    """Active users of the partner, and its PDM."""
    members = Membership.objects.filter(organization=organization).values("user_id")
    return User.objects.filter(Q(pk__in=members) | Q(pk=organization.pdm_id), is_active=True)


def tasks_for_user(*, user: User) -> QuerySet[ActionTask]:
    return ActionTask.objects.for_user(user).select_related(
        "plan__organization", "assignee", "created_by"
    )


def due_window(due: str, now: datetime) -> Q:
    """Due filters in the viewer's own day (the active timezone)."""
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    if due == "overdue":
        return Q(due_at__lt=now, done=False)
    if due == "today":
        return Q(due_at__gte=start, due_at__lt=start + timedelta(days=1))
    if due == "week":
        return Q(due_at__gte=start, due_at__lt=start + timedelta(days=7))
    return Q(due_at__gte=start + timedelta(days=7))


def tasks_filtered(*, user: User, filters: TaskFilters) -> QuerySet[ActionTask]:
    tasks = tasks_for_user(user=user)
    if filters.plan_id is not None:
        tasks = tasks.filter(plan_id=filters.plan_id)
    if filters.status == "open":
        tasks = tasks.filter(done=False)
    elif filters.status == "done":
        tasks = tasks.filter(done=True)
    if filters.assignee_id is not None:
        tasks = tasks.filter(assignee_id=filters.assignee_id)
    if filters.due in DUE_FILTERS:
        tasks = tasks.filter(due_window(filters.due, timezone.now()))
    return tasks.order_by("done", "due_at", "id")


def task_get(*, user: User, task_id: int) -> ActionTask:
    return get_for_user_or_404(
        ActionTask.objects.select_related(
            "plan__organization", "plan__currency", "assignee", "created_by"
        ),
        user,
        pk=task_id,
    )


def plan_open_tasks(*, plan: GoalPlan) -> QuerySet[ActionTask]:
    return plan.tasks.filter(done=False).select_related("assignee").order_by("due_at", "id")


def task_updates(*, task: ActionTask) -> QuerySet[TaskProgressUpdate]:
    return task.updates.select_related("created_by", "review")


def review_task_updates(*, review: QuarterlyReview) -> QuerySet[TaskProgressUpdate]:
    return (
        TaskProgressUpdate.objects.filter(review=review)
        .select_related("task", "created_by")
        .order_by("task__due_at", "id")
    )


def task_templates() -> QuerySet[TaskTemplate]:
    return TaskTemplate.objects.filter(active=True)


def task_template_get(*, template_id: int | str) -> TaskTemplate:
    """A default task on offer; an inactive one, or an id that is no number, is missing."""
    try:
        return task_templates().get(pk=template_id)
    except (TaskTemplate.DoesNotExist, ValueError):
        raise NotFound() from None


def reminders_due(*, now: datetime) -> QuerySet[ActionTask]:
    """Reminders whose time has come and that nobody has sent (for the sweep)."""
    return ActionTask.objects.filter(
        done=False, reminder_sent_at__isnull=True, remind_at__isnull=False, remind_at__lte=now
    ).order_by("remind_at", "id")
