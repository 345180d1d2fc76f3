from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from openprm.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict:
    """Counted only when a template shows it (one query, on pages with the header)."""
    user = getattr(request, "user", None)
    return {"unread_notification_count": SimpleLazyObject(lambda: unread_count(user=user))}
