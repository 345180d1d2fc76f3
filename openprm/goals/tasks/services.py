"""Writes for action tasks (SPEC B6, B7): create, edit, complete, reopen, delete, progress.

Anyone who sees a plan works on its tasks: the partner's members, its PDM and the program
admin. Times arrive timezone-aware and are stored in UTC. A task's reminder is enqueued for
the worker at its time whenever it is set or moved; the worker and the sweep both re-check the
task when they run (openprm.goals.tasks.reminders), so moving, completing or deleting a task needs
no cancelling.
"""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.errors import NotFound, field_error
from openprm.core.events import record_event
from openprm.goals.models import (
    ActionTask,
    GoalPlan,
    QuarterlyReview,
    Reminder,
    TaskProgressUpdate,
    TaskTemplate,
)
from openprm.goals.plans import selectors as plan_selectors
from openprm.goals.tasks import selectors, send_task_reminder

REMINDER_OFFSETS = {
    Reminder.AT_DUE: timedelta(0),
    Reminder.MINUTES_30: timedelta(minutes=30),
    Reminder.HOUR_1: timedelta(hours=1),
    Reminder.DAY_1: timedelta(days=1),
    Reminder.WEEK_1: timedelta(weeks=1),
}
EDITABLE = (
    "title",
    "task_type",
    "priority",
    "assignee",
    "due_at",
    "reminder",
    "remind_at",
    "notes",
)


def utc(moment: datetime | None) -> datetime | None:
    """Whole seconds in UTC, so a reminder's time names it the same way everywhere; a time
    without an offset is read in the user's (the active) timezone."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(UTC).replace(microsecond=0)


def reminder_time(reminder: str, due_at: datetime, custom: datetime | None) -> datetime | None:
    if reminder == Reminder.NONE:
        return None
    if reminder == Reminder.CUSTOM:
        if custom is None:
            raise field_error("remind_at", _("Choose the date and time of the reminder."))
        return utc(custom)
    if reminder not in REMINDER_OFFSETS:
        raise field_error("reminder", _("Choose one of the reminders offered."), "invalid_choice")
    return due_at - REMINDER_OFFSETS[Reminder(reminder)]


def with_assignee(plan: GoalPlan, fields: Mapping[str, Any], *, required: bool) -> dict[str, Any]:
    """The fields with `assignee_id` turned into its user: someone of the plan's partner, or
    its PDM; anyone else is a field error, never a lookup outside the plan."""
    resolved = {name: value for name, value in fields.items() if name != "assignee_id"}
    if "assignee_id" not in fields and not required:
        return resolved
    if fields.get("assignee_id") is None:
        raise field_error("assignee_id", _("Choose who does this task."), "required")
    resolved["assignee"] = (
        selectors.assignable_users(organization=plan.organization)
        .filter(pk=fields["assignee_id"])
        .first()
    )
    if resolved["assignee"] is None:
        raise field_error(
            "assignee_id",
            _("Assign the task to a user of the plan's partner or its PDM."),
            "wrong_organization",
        )
    return resolved


def default_task(template_id: int | None) -> TaskTemplate | None:
    if template_id is None:
        return None
    try:
        return selectors.task_template_get(template_id=template_id)
    except NotFound:
        raise field_error("template_id", _("No such default task."), "not_found") from None


def schedule_reminder(task: ActionTask) -> None:
    """After commit, queue the reminder for the worker at its time (the sweep is the net)."""
    if task.remind_at is None or task.done:
        return
    task_id, when = task.pk, task.remind_at.isoformat()
    run_after = task.remind_at
    transaction.on_commit(
        lambda: send_task_reminder.using(run_after=run_after).enqueue(task_id, when)
    )


def apply_fields(task: ActionTask, fields: Mapping[str, Any], *, now: datetime) -> bool:
    """Set the given fields, derive the reminder time; True when the reminder moved."""
    for name in EDITABLE:
        if name in fields and name not in ("due_at", "remind_at"):
            setattr(task, name, fields[name])
    due_at = utc(fields["due_at"]) if "due_at" in fields else task.due_at
    if due_at is None:
        raise field_error("due_at", _("Choose a due date."), "required")
    task.due_at = due_at
    custom = fields.get("remind_at", task.remind_at if task.reminder == Reminder.CUSTOM else None)
    if task.reminder != Reminder.CUSTOM and fields.get("remind_at") is not None:
        raise field_error(
            "remind_at", _("A reminder time goes with the custom reminder only."), "not_custom"
        )
    previous = task.remind_at
    task.remind_at = reminder_time(task.reminder, task.due_at, custom)
    moved = task.remind_at != previous or task.pk is None
    if moved and task.remind_at is not None and task.remind_at <= now:
        raise field_error(
            "reminder", _("This reminder time has already passed."), "reminder_in_past"
        )
    if moved:
        task.reminder_sent_at = None
    return moved


def clean(task: ActionTask) -> None:
    try:
        task.full_clean(exclude=["plan", "assignee", "created_by", "template"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None


@transaction.atomic
def action_task_create(
    *,
    plan: GoalPlan,
    actor: User,
    fields: Mapping[str, Any],
    template_id: int | None = None,
    done: bool = False,
) -> ActionTask:
    """`fields` name the assignee by `assignee_id`; `template_id` the default task it is from."""
    template = default_task(template_id)
    fields = with_assignee(plan, fields, required=True)
    now = timezone.now()
    task = ActionTask(plan=plan, created_by=actor, template=template)
    apply_fields(task, fields, now=now)
    if done:
        task.done, task.completed_at = True, now
    clean(task)
    task.save()
    schedule_reminder(task)
    record_event(
        kind="action_task.created",
        obj=task,
        actor=actor,
        organization=plan.organization,
        data={"plan": plan.pk, "done": done, "template": template.pk if template else None},
    )
    return task


def locked_task(task: ActionTask, expected_version: int | None) -> ActionTask:
    locked = (
        ActionTask.objects.select_for_update()
        .select_related("plan__organization", "assignee")
        .get(pk=task.pk)
    )
    locked.check_version(expected_version)
    return locked


@transaction.atomic
def action_task_update(
    *,
    task: ActionTask,
    actor: User,
    fields: Mapping[str, Any],
    expected_version: int | None = None,
) -> ActionTask:
    """Change the fields given; a new due date moves an offset reminder with it."""
    fields = with_assignee(task.plan, fields, required=False)
    task = locked_task(task, expected_version)
    moved = apply_fields(task, fields, now=timezone.now())
    clean(task)
    task.bump_version()
    task.save()
    if moved:
        schedule_reminder(task)
    record_event(
        kind="action_task.updated",
        obj=task,
        actor=actor,
        organization=task.plan.organization,
        data={"fields": sorted(name for name in fields if name in EDITABLE)},
    )
    return task


@transaction.atomic
def action_task_set_done(
    *, task: ActionTask, actor: User, done: bool, expected_version: int | None = None
) -> ActionTask:
    """Complete or reopen. Reopening re-queues a reminder that is still ahead."""
    task = locked_task(task, expected_version)
    if task.done == done:
        return task
    task.done = done
    task.completed_at = timezone.now() if done else None
    task.bump_version()
    task.save()
    if not done and task.remind_at is not None and task.remind_at > timezone.now():
        schedule_reminder(task)
    record_event(
        kind="action_task.completed" if done else "action_task.reopened",
        obj=task,
        actor=actor,
        organization=task.plan.organization,
    )
    return task


@transaction.atomic
def action_task_delete(
    *, task: ActionTask, actor: User, expected_version: int | None = None
) -> None:
    """Deleting needs no cancelling: the queued reminder finds no task and sends nothing."""
    task = locked_task(task, expected_version)
    record_event(
        kind="action_task.deleted",
        obj=task,
        actor=actor,
        organization=task.plan.organization,
        data={"title": task.title, "plan": task.plan_id},
    )
    task.delete()


def task_progress_add(
    *, task: ActionTask, actor: User, text: str, review_id: int | None = None
) -> TaskProgressUpdate:
    """A progress update, written any time or (`review_id`) in one of the plan's reviews."""
    review = None
    if review_id is not None:
        try:
            review = plan_selectors.review_get(
                user=actor, review_id=review_id, plan_id=task.plan_id
            )
        except NotFound:
            raise field_error(
                "review_id", _("No such review of this task's plan."), "not_found"
            ) from None
    return add_progress(task=task, actor=actor, text=text, review=review)


@transaction.atomic
def add_progress(
    *, task: ActionTask, actor: User, text: str, review: QuarterlyReview | None
) -> TaskProgressUpdate:
    text = text.strip()
    if not text:
        raise field_error("text", _("Write how the task is going."), "required")
    update = TaskProgressUpdate(task=task, text=text, review=review, created_by=actor)
    update.full_clean(exclude=["task", "review", "created_by"])
    update.save()
    record_event(
        kind="action_task.progress_added",
        obj=task,
        actor=actor,
        organization=task.plan.organization,
        data={"update": update.pk, "review": review.pk if review else None},
    )
    return update


@transaction.atomic
def review_task_progress(
    *, review: QuarterlyReview, actor: User, texts: Mapping[int, str]
) -> list[TaskProgressUpdate]:
    """B8: the progress of the plan's open tasks written during a review; blanks are skipped.
    Naming a task that is not open in this plan is an error (the page only offers open ones)."""
    tasks = {t.pk: t for t in review.plan.tasks.filter(done=False, pk__in=list(texts))}
    unknown = sorted(pk for pk in texts if pk not in tasks)
    if unknown:
        raise field_error(
            "task_id",
            _("Only open tasks of this plan take progress in its review: %(ids)s")
            % {"ids": ", ".join(map(str, unknown))},
            "not_open_task",
        )
    return [
        add_progress(task=tasks[pk], actor=actor, text=text, review=review)
        for pk, text in texts.items()
        if pk in tasks and text.strip()
    ]
