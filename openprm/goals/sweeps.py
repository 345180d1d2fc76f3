"""Due work for the periodic sweep: task reminders the worker did not deliver in time."""

from datetime import datetime

from openprm.core.sweep import due_work
from openprm.goals.reminders import send_reminder
from openprm.goals.task_selectors import reminders_due

BATCH = 200


@due_work("task_reminders")
def send_missed_task_reminders(now: datetime) -> int:
    rows = list(reminders_due(now=now).values_list("pk", "remind_at")[:BATCH])
    return sum(send_reminder(pk, when.isoformat(), now=now) == "sent" for pk, when in rows)
