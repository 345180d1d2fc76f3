"""Due work for the periodic sweep: task reminders the worker did not deliver in time."""

from datetime import datetime

from openprm.core.sweep import due_work
from openprm.goals.tasks.reminders import send_reminder
from openprm.goals.tasks.selectors import reminders_due

BATCH = 200


@due_work("task_reminders")
def send_missed_task_reminders(now: datetime) -> int:
    tasks = list(reminders_due(now=now).only("pk", "remind_at")[:BATCH])
    return sum(
        send_reminder(task.pk, task.remind_at.isoformat(), now=now) == "sent"
        for task in tasks
        if task.remind_at is not None
    )
