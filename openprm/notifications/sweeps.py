"""Due work for the periodic sweep: notification mail the task queue did not deliver."""

from datetime import datetime

from openprm.core.sweep import due_work
from openprm.notifications.delivery import deliver_email
from openprm.notifications.selectors import email_overdue

BATCH = 200


@due_work("notification_email")
def send_overdue_notification_emails(now: datetime) -> int:
    """A send failure (the mail server is down) ends this finder until the next sweep."""
    ids = list(email_overdue(now=now).values_list("pk", flat=True)[:BATCH])
    return sum(deliver_email(notification_id, now=now) == "sent" for notification_id in ids)
