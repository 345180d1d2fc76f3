"""Action tasks of a plan (SPEC B6-B8): services, selectors, pages and API, reminders.

The background job is defined here, not in a module of its own: a queued job names its
function by path in the task table, and jobs queued before goals was split into sub-domains
name `openprm.goals.tasks.send_task_reminder`. It re-checks the task when it runs.
"""

from django_tasks import task

from openprm.goals.tasks.reminders import send_reminder


@task()
def send_task_reminder(task_id: int, remind_at: str) -> str:
    """Queued with run_after=remind_at whenever a reminder is set or moved."""
    return send_reminder(task_id, remind_at)
