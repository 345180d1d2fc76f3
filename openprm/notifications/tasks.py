"""Background tasks of notifications; each re-checks the state when it runs."""

from django_tasks import task

from openprm.notifications.delivery import deliver_email


@task()
def send_notification_email(notification_id: int) -> str:
    return deliver_email(notification_id)
