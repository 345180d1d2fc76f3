"""Background tasks of goals; each re-checks the state when it runs."""

from django_tasks import task

from openprm.goals.reminders import send_reminder


@task()
def send_task_reminder(task_id: int, remind_at: str) -> str:
    """Queued with run_after=remind_at whenever a reminder is set or moved."""
    return send_reminder(task_id, remind_at)
