"""Delivering a task's reminder (SPEC B7): once per task and reminder time.

The worker runs `send_reminder` at the reminder time; the sweep runs it for reminders that
are due and unsent (the worker was down, or the queue lost the job). Both re-check the task:
done, deleted or moved means nothing is sent. `notify` makes the in-app notification and the
email unique per cause, so two runs for the same time send one of each; the `action_task.due`
event (integrations' "task due") is written by the run that marks the reminder sent, once.
"""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openprm.core.dates import user_zone
from openprm.core.events import record_event
from openprm.core.formatting import format_datetime
from openprm.goals.models import ActionTask
from openprm.notifications.kinds import TASK_REMINDER
from openprm.notifications.services import notify


def reminder_cause(task_id: int, remind_at: datetime) -> str:
    return f"task-reminder:{task_id}:{remind_at.isoformat()}"


@transaction.atomic
def send_reminder(task_id: int, remind_at: str, *, now: datetime | None = None) -> str:
    """`remind_at` is the ISO time the job was queued for; another time means it moved."""
    now = now or timezone.now()
    task = (
        ActionTask.objects.select_for_update()
        .select_related("assignee", "plan__organization")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        return "deleted"
    if task.done:
        return "done"
    if task.remind_at is None or task.remind_at.isoformat() != remind_at:
        return "moved"
    if task.remind_at > now:
        return "not_due"
    assignee = task.assignee
    zone = user_zone(assignee.timezone)
    with translation.override(assignee.language or None), timezone.override(zone):
        title = _("Reminder: %(title)s") % {"title": task.title}
        body = _("Due %(due)s (%(zone)s) · %(partner)s") % {
            "due": format_datetime(task.due_at),
            "zone": zone.key,
            "partner": task.plan.organization.name,
        }
    notify(
        recipient=assignee,
        kind=TASK_REMINDER,
        cause=reminder_cause(task.pk, task.remind_at),
        title=title,
        body=body,
        link=reverse("goals:task", kwargs={"task_id": task.pk}),
    )
    marked = ActionTask.objects.filter(pk=task.pk, reminder_sent_at__isnull=True).update(
        reminder_sent_at=now
    )
    if marked:
        record_event(
            kind="action_task.due",
            obj=task,
            organization=task.plan.organization,
            data={"due_at": task.due_at.isoformat(), "remind_at": remind_at},
        )
    return "sent"
